package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Shapes as values (int64 vectors), for graphs whose shapes are known only when they run, as
 * TensorFlow's gradients use them: {@code shape(x)}; {@code reducedShape(shape)} with attribute
 * {@code axes} (the shape with those axes set to 1, negative axes counted from the run-time rank:
 * TensorFlow's {@code reduced_shape}); {@code concatOffset(s0, .., si)} with attribute {@code axis}
 * (where input i of a concat begins: zeros but the sum of the earlier sizes along the axis,
 * TensorFlow's {@code ConcatOffset}); and {@code reshapeTo(x, shape)}, a reshape to a shape
 * computed in the graph ({@code tf.reshape} with a tensor; one -1 is inferred).
 */
final class ShapeOpDefs {
  private ShapeOpDefs() {}

  static void define() {
    register(
        OpDef.noGradient(
            "shape",
            c -> {
              c.requireInputs(1);
              Shape in = c.shape(0);
              return List.of(
                  new TensorType(DType.INT64, Shape.of(in.hasRank() ? in.rank() : Shape.UNKNOWN)));
            }));
    register(
        OpDef.noGradient(
            "reducedShape",
            c -> {
              c.requireInputs(1);
              long rank = shapeVectorLength(c, 0);
              if (rank != Shape.UNKNOWN) {
                ShapeRules.axes(c, c.attrs().getLongs("axes"), (int) rank);
              }
              return List.of(c.in(0));
            }));
    register(
        OpDef.noGradient(
            "concatOffset",
            c -> {
              if (c.inputTypes().isEmpty()) {
                throw c.fail("concatOffset needs the shape of at least one input");
              }
              long rank = Shape.UNKNOWN;
              for (int i = 0; i < c.inputTypes().size(); i++) {
                long r = shapeVectorLength(c, i);
                if (r != Shape.UNKNOWN && rank != Shape.UNKNOWN && r != rank) {
                  throw c.fail(
                      "shapes of different ranks ("
                          + rank
                          + " vs "
                          + r
                          + ") cannot be concatenated");
                }
                rank = r == Shape.UNKNOWN ? rank : r;
              }
              if (rank != Shape.UNKNOWN) {
                c.axis(c.attrs().getLong("axis"), (int) rank);
              }
              return List.of(new TensorType(DType.INT64, Shape.of(rank)));
            }));
    register(
        OpDef.of(
            "reshapeTo",
            c -> {
              c.requireInputs(2);
              long rank = shapeVectorLength(c, 1);
              return List.of(
                  new TensorType(
                      c.dtype(0),
                      rank == Shape.UNKNOWN ? Shape.unknownRank() : Shape.unknownDims((int) rank)));
            },
            c -> Arrays.asList(c.ops().reshapeLike(c.dy(), c.x(0)), null)));
  }

  /** Input i must be an integer vector (a shape); its length, or UNKNOWN. */
  static long shapeVectorLength(OpContext c, int i) {
    Shape s = c.shape(i);
    if (!c.dtype(i).isInteger() || (s.hasRank() && s.rank() != 1)) {
      throw c.fail("input " + i + " must be a shape: an integer vector, not " + c.in(i));
    }
    return s.hasRank() ? s.dim(0) : Shape.UNKNOWN;
  }

  /** {@code shape(x)} with {@code axes} set to 1: what a reduction keeping its dims gives. */
  static Tensor keptDimsShape(Tensor x, long[] axes) {
    Tensor shape = x.graph().ops().shape(x);
    return x.graph().add("reducedShape", List.of(shape), Attrs.of("axes", axes), null).get(0);
  }

  /** Where input {@code shapes.size() - 1} of a concat along {@code axis} begins. */
  static Tensor concatOffset(List<Tensor> shapes, long axis) {
    return shapes.get(0).graph().add("concatOffset", shapes, Attrs.of("axis", axis), null).get(0);
  }
}
