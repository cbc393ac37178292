package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Attrs;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that pick or join parts of tensors: {@code concat} (attribute {@code axis}), {@code slice}
 * ({@code begin}, {@code size}; size -1 runs to the end), {@code gather} (rows of params along axis
 * 0 by integer indices). Their gradients are ops too: {@code sliceGrad(x, dy)} places dy back into
 * zeros shaped like x, {@code scatterAdd(params, indices, dy)} sums rows of dy into zeros shaped
 * like params (repeated indices accumulate). {@code pad} (attribute {@code paddings}: before and
 * after counts per axis, flattened; optional {@code constantValue}) surrounds x with a constant, as
 * {@code tf.pad}; its gradient is the slice that drops the border. {@code dynamicSlice} and {@code
 * dynamicSliceGrad} take begin and size as tensors.
 */
final class SelectionOpDefs {
  private SelectionOpDefs() {}

  static void define() {
    register(OpDef.of("concat", SelectionOpDefs::concat, SelectionOpDefs::concatGradient));
    register(
        OpDef.of(
            "slice",
            SelectionOpDefs::slice,
            c ->
                List.of(
                    c.x(0)
                        .graph()
                        .add("sliceGrad", List.of(c.x(0), c.dy()), c.node().attrs(), null)
                        .get(0))));
    register(
        OpDef.of(
            "sliceGrad",
            c -> {
              c.requireInputs(2);
              return List.of(c.in(0));
            },
            c ->
                Arrays.asList(
                    null,
                    slice(
                        c.dy(),
                        c.node().attrs().getLongs("begin"),
                        c.node().attrs().getLongs("size")))));
    // dynamicSlice(x, begin, size) and dynamicSliceGrad(x, dy, begin): slice and sliceGrad with
    // begin and size as int64 vectors computed in the graph (tf.slice with tensors)
    register(
        OpDef.of(
            "dynamicSlice",
            SelectionOpDefs::dynamicSlice,
            c ->
                Arrays.asList(
                    c.x(0)
                        .graph()
                        .add(
                            "dynamicSliceGrad",
                            List.of(c.x(0), c.dy(), c.x(1)),
                            Attrs.empty(),
                            null)
                        .get(0),
                    null,
                    null)));
    register(
        OpDef.of(
            "dynamicSliceGrad",
            c -> {
              c.requireInputs(3);
              if (c.dtype(0) != c.dtype(1)) {
                throw c.fail("dy must have x's dtype " + c.dtype(0) + ", not " + c.dtype(1));
              }
              checkRegion(c, c.shape(0), 2, 2);
              return List.of(c.in(0));
            },
            c -> Arrays.asList(null, c.ops().slice(c.dy(), c.x(2), c.ops().shape(c.x(1))), null)));
    register(OpDef.of("pad", SelectionOpDefs::pad, c -> List.of(unpad(c))));
    register(
        OpDef.of(
            "gather",
            SelectionOpDefs::gather,
            c ->
                Arrays.asList(
                    c.x(0)
                        .graph()
                        .add("scatterAdd", List.of(c.x(0), c.x(1), c.dy()), Attrs.empty(), null)
                        .get(0),
                    null)));
    register(
        OpDef.of(
            "scatterAdd",
            c -> {
              c.requireInputs(3);
              return List.of(c.in(0));
            },
            c ->
                Arrays.asList(
                    null,
                    null,
                    c.x(0)
                        .graph()
                        .add("gather", List.of(c.dy(), c.x(1)), Attrs.empty(), null)
                        .get(0))));
  }

  /**
   * Each input's part of dy: static slices where every size along the axis is known, else slices
   * whose begin and size are computed when the graph runs (from the inputs' shapes).
   */
  private static List<Tensor> concatGradient(GradContext c) {
    int rank = c.y().shape().rank();
    int axis = (int) normalized(c.node().attrs().getLong("axis"), rank);
    if (c.inputs().stream().anyMatch(x -> x.shape().dim(axis) == Shape.UNKNOWN)) {
      List<Tensor> shapes = c.inputs().stream().map(x -> c.ops().shape(x)).toList();
      List<Tensor> grads = new ArrayList<>();
      for (int i = 0; i < shapes.size(); i++) {
        Tensor begin = ShapeOpDefs.concatOffset(shapes.subList(0, i + 1), axis);
        grads.add(c.ops().slice(c.dy(), begin, shapes.get(i)));
      }
      return grads;
    }
    List<Tensor> grads = new ArrayList<>();
    long offset = 0;
    for (Tensor x : c.inputs()) {
      long size = x.shape().dim(axis);
      long[] begin = new long[rank];
      long[] sizes = new long[rank];
      Arrays.fill(sizes, -1);
      begin[axis] = offset;
      sizes[axis] = size;
      grads.add(slice(c.dy(), begin, sizes));
      offset += size;
    }
    return grads;
  }

  static Tensor slice(Tensor x, long[] begin, long[] size) {
    return x.graph().add("slice", List.of(x), Attrs.of("begin", begin, "size", size), null).get(0);
  }

  /** The part of dy that lies over x: pad's gradient. */
  private static Tensor unpad(GradContext c) {
    Shape in = c.x(0).shape();
    long[] paddings = c.node().attrs().getLongs("paddings");
    long[] begin = new long[in.rank()];
    long[] size = new long[in.rank()];
    for (int d = 0; d < in.rank(); d++) {
      begin[d] = paddings[2 * d];
      size[d] = in.dim(d);
      if (size[d] == Shape.UNKNOWN) {
        if (paddings[2 * d + 1] != 0) {
          throw new AnygraphException(
              "Gradient of "
                  + c.node()
                  + " needs the size of axis "
                  + d
                  + " of "
                  + c.x(0).name()
                  + " "
                  + in
                  + ", which is padded after its end");
        }
        size[d] = -1;
      }
    }
    return slice(c.dy(), begin, size);
  }

  static List<TensorType> pad(OpContext c) {
    c.requireInputs(1);
    Shape in = c.shape(0);
    long[] paddings = c.attrs().getLongs("paddings");
    if (!in.hasRank() || paddings.length != 2 * in.rank()) {
      throw c.fail(
          "paddings "
              + Arrays.toString(paddings)
              + " need a (before, after) pair per axis of "
              + in);
    }
    long[] out = new long[in.rank()];
    for (int d = 0; d < in.rank(); d++) {
      if (paddings[2 * d] < 0 || paddings[2 * d + 1] < 0) {
        throw c.fail("paddings " + Arrays.toString(paddings) + " must not be negative");
      }
      out[d] =
          in.dim(d) == Shape.UNKNOWN
              ? Shape.UNKNOWN
              : in.dim(d) + paddings[2 * d] + paddings[2 * d + 1];
    }
    return List.of(new TensorType(c.dtype(0), Shape.of(out)));
  }

  private static long normalized(long axis, int rank) {
    return axis < 0 ? axis + rank : axis;
  }

  static List<TensorType> concat(OpContext c) {
    if (c.inputTypes().isEmpty()) {
      throw c.fail("concat needs at least one input");
    }
    c.sameDType();
    Shape first = c.shape(0);
    if (!first.hasRank() || first.rank() == 0) {
      throw c.fail("concat needs inputs of known rank >= 1");
    }
    int rank = first.rank();
    int axis = c.axis(c.attrs().getLong("axis"), rank);
    long[] out = first.dims();
    for (int i = 1; i < c.inputTypes().size(); i++) {
      Shape s = c.shape(i);
      if (!s.hasRank() || s.rank() != rank) {
        throw c.fail("input " + i + " has shape " + s + ", not rank " + rank);
      }
      for (int d = 0; d < rank; d++) {
        if (d == axis) {
          out[d] =
              out[d] == Shape.UNKNOWN || s.dim(d) == Shape.UNKNOWN
                  ? Shape.UNKNOWN
                  : out[d] + s.dim(d);
        } else if (out[d] != Shape.UNKNOWN && s.dim(d) != Shape.UNKNOWN && out[d] != s.dim(d)) {
          throw c.fail(
              "inputs differ along axis "
                  + d
                  + " ("
                  + out[d]
                  + " vs "
                  + s.dim(d)
                  + "); only axis "
                  + axis
                  + " may differ");
        } else if (out[d] == Shape.UNKNOWN) {
          out[d] = s.dim(d);
        }
      }
    }
    return List.of(new TensorType(c.dtype(0), Shape.of(out)));
  }

  static List<TensorType> slice(OpContext c) {
    c.requireInputs(1);
    Shape in = c.shape(0);
    long[] begin = c.attrs().getLongs("begin");
    long[] size = c.attrs().getLongs("size");
    if (!in.hasRank() || begin.length != in.rank() || size.length != in.rank()) {
      throw c.fail(
          "begin "
              + Arrays.toString(begin)
              + " and size "
              + Arrays.toString(size)
              + " need one entry per axis of "
              + in);
    }
    long[] out = new long[in.rank()];
    for (int d = 0; d < in.rank(); d++) {
      long n = in.dim(d);
      if (begin[d] < 0
          || size[d] < -1
          || (n != Shape.UNKNOWN && begin[d] + Math.max(size[d], 0) > n)
          || (n != Shape.UNKNOWN && begin[d] > n)) {
        throw c.fail(
            "slice begin "
                + Arrays.toString(begin)
                + " size "
                + Arrays.toString(size)
                + " is outside "
                + in
                + " along axis "
                + d);
      }
      out[d] = size[d] >= 0 ? size[d] : n == Shape.UNKNOWN ? Shape.UNKNOWN : n - begin[d];
    }
    return List.of(new TensorType(c.dtype(0), Shape.of(out)));
  }

  static List<TensorType> dynamicSlice(OpContext c) {
    c.requireInputs(3);
    Shape in = c.shape(0);
    if (in.hasRank() && in.rank() == 0) {
      throw c.fail("cannot slice a scalar");
    }
    long rank = checkRegion(c, in, 1, 2);
    return List.of(
        new TensorType(
            c.dtype(0),
            rank == Shape.UNKNOWN ? Shape.unknownRank() : Shape.unknownDims((int) rank)));
  }

  /**
   * Inputs {@code from..to} are shape vectors with one entry per axis of x; x's rank or UNKNOWN.
   */
  private static long checkRegion(OpContext c, Shape x, int from, int to) {
    long rank = x.hasRank() ? x.rank() : Shape.UNKNOWN;
    for (int i = from; i <= to; i++) {
      long n = ShapeOpDefs.shapeVectorLength(c, i);
      if (n != Shape.UNKNOWN && rank != Shape.UNKNOWN && n != rank) {
        throw c.fail("input " + i + " has " + n + " entries, not one per axis of " + x);
      }
      rank = rank == Shape.UNKNOWN ? n : rank;
    }
    return rank;
  }

  static List<TensorType> gather(OpContext c) {
    c.requireInputs(2);
    if (!c.dtype(1).isInteger()) {
      throw c.fail("indices must be integers, not " + c.dtype(1));
    }
    Shape params = c.shape(0);
    Shape idx = c.shape(1);
    if (!params.hasRank() || params.rank() == 0 || !idx.hasRank()) {
      throw c.fail("gather needs params of rank >= 1 and indices of known rank");
    }
    long[] out = new long[idx.rank() + params.rank() - 1];
    System.arraycopy(idx.dims(), 0, out, 0, idx.rank());
    System.arraycopy(params.dims(), 1, out, idx.rank(), params.rank() - 1);
    return List.of(new TensorType(c.dtype(0), Shape.of(out)));
  }
}
