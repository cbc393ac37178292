package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.ShapeException;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Layers' building blocks that are ops of their own (the rest are composed in {@link
 * io.anygraph.core.Nn}). {@code cumsum(x)} along attribute {@code axis} with {@code exclusive} and
 * {@code reverse}, as {@code tf.math.cumsum}; its gradient is the cumsum of dy the other way round.
 * {@code topK(x)} with attributes {@code k} and {@code sorted}: the k largest values along the last
 * axis and their int32 indices, as {@code tf.nn.top_k} (ties: the lower index first); its gradient
 * puts each upstream value back at its index, {@code sum_k(oneHot(indices) * dy)}, linear in dy, so
 * its own gradient is the same rule again.
 */
final class LayerOpDefs {
  private LayerOpDefs() {}

  static void define() {
    register(
        OpDef.of(
            "cumsum",
            LayerOpDefs::cumsum,
            c -> {
              Attrs a = c.node().attrs();
              boolean reverse = a.getBool("reverse", false);
              return List.of(
                  c.x(0)
                      .graph()
                      .add("cumsum", List.of(c.dy()), a.with("reverse", !reverse), null)
                      .get(0));
            }));
    register(OpDef.of("topK", LayerOpDefs::topK, LayerOpDefs::topKGradient));
  }

  static List<TensorType> cumsum(OpContext c) {
    c.requireInputs(1);
    c.requireNumeric(0);
    Shape x = c.shape(0);
    if (x.hasRank()) {
      if (x.rank() == 0) {
        throw c.fail("cumsum needs at least one axis, got a scalar");
      }
      c.axis(c.attrs().getLong("axis"), x.rank());
    }
    return List.of(c.in(0));
  }

  static List<TensorType> topK(OpContext c) {
    c.requireInputs(1);
    c.requireNumeric(0);
    long k = c.attrs().getLong("k");
    if (k < 1) {
      throw c.fail("k must be at least 1, not " + k);
    }
    Shape x = c.shape(0);
    if (!x.hasRank()) {
      return List.of(
          new TensorType(c.dtype(0), Shape.unknownRank()),
          new TensorType(DType.INT32, Shape.unknownRank()));
    }
    if (x.rank() == 0) {
      throw c.fail("topK needs at least one axis, got a scalar");
    }
    long n = x.dim(x.rank() - 1);
    if (n != Shape.UNKNOWN && n < k) {
      throw c.fail("k = " + k + " is larger than the last axis (" + n + ")");
    }
    Shape out = x.withDim(x.rank() - 1, k);
    return List.of(new TensorType(c.dtype(0), out), new TensorType(DType.INT32, out));
  }

  /**
   * dx[..., j] = sum over the k picks of dy where the pick's index is j. Built from oneHot, whose
   * depth is static: the last axis must be known when the gradient is built.
   */
  private static List<Tensor> topKGradient(GradContext c) {
    Tensor x = c.x(0);
    Shape s = x.shape();
    if (!s.hasRank() || s.dim(s.rank() - 1) == Shape.UNKNOWN) {
      throw new ShapeException(
          "Node '"
              + c.node().name()
              + "' (op topK): the gradient needs the last axis of "
              + x.name()
              + " known when it is built, not "
              + s);
    }
    Ops o = c.ops();
    Tensor dy = c.dy();
    if (dy == null) {
      return Arrays.asList((Tensor) null);
    }
    Tensor hot = o.oneHot(c.outputs().get(1), s.dim(s.rank() - 1), x.dtype(), false);
    Tensor spread = o.mul(hot, o.expandDims(dy, -1)); // [..., k, n]
    return List.of(o.reduceSum(spread, new int[] {-2}, false));
  }
}
