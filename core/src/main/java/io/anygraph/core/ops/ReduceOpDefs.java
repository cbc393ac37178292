package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Reductions over axes (attribute {@code axes}: absent or empty means all; {@code keepDims}), and
 * {@code reduceSumLike}, which sums a broadcast result back to an input's shape.
 */
final class ReduceOpDefs {
  private ReduceOpDefs() {}

  static void define() {
    register(
        OpDef.of(
            "reduceSum",
            ReduceOpDefs::reduce,
            c -> List.of(c.ops().broadcastLike(keepDimsForm(c, c.dy()), c.x(0)))));
    register(
        OpDef.of(
            "reduceMean",
            ReduceOpDefs::reduce,
            c -> {
              Ops o = c.ops();
              Tensor spread = o.broadcastLike(keepDimsForm(c, c.dy()), c.x(0));
              return List.of(o.div(spread, count(c)));
            }));
    register(
        OpDef.of(
            "reduceMax",
            ReduceOpDefs::reduce,
            c -> {
              // the gradient is shared equally among the positions that reach the maximum
              Ops o = c.ops();
              Tensor x = c.x(0);
              Tensor mask = o.cast(o.equal(x, keepDimsForm(c, c.y())), x.dtype());
              Tensor ties = o.reduceSum(mask, axesOf(c), true);
              return List.of(o.div(o.mul(keepDimsForm(c, c.dy()), mask), ties));
            }));
    // size(x): how many elements x has over attribute axes (all when absent), an int64 scalar;
    // the partitioner gives it the global count when x is split across shards
    register(
        OpDef.noGradient(
            "size",
            c -> {
              c.requireInputs(1);
              if (c.shape(0).hasRank() && c.attrs().has("axes")) {
                ShapeRules.axes(c, c.attrs().getLongs("axes"), c.shape(0).rank());
              }
              return List.of(TensorType.scalar(DType.INT64));
            }));
    register(
        OpDef.of(
            "reduceSumLike",
            ReduceOpDefs::reduceLike,
            c -> Arrays.asList(c.ops().broadcastLike(c.dy(), c.x(0)), null)));
  }

  static List<TensorType> reduce(OpContext c) {
    c.requireInputs(1);
    c.requireNumeric(0);
    Shape in = c.shape(0);
    long[] axes = c.attrs().has("axes") ? c.attrs().getLongs("axes") : new long[0];
    boolean keep = c.attrs().getBool("keepDims", false);
    if (!in.hasRank()) {
      return List.of(
          new TensorType(
              c.dtype(0), axes.length == 0 && !keep ? Shape.scalar() : Shape.unknownRank()));
    }
    return List.of(
        new TensorType(
            c.dtype(0), ShapeRules.reduced(in, ShapeRules.axes(c, axes, in.rank()), keep)));
  }

  /** reduceSumLike(a, like): a summed down to like's shape, which a must broadcast from. */
  static List<TensorType> reduceLike(OpContext c) {
    c.requireInputs(2);
    Shape a = c.shape(0);
    Shape like = c.shape(1);
    if (a.hasRank() && like.hasRank()) {
      if (like.rank() > a.rank()) {
        throw c.fail("cannot sum " + a + " down to the larger rank of " + like);
      }
      for (int i = 0; i < like.rank(); i++) {
        long dl = like.dim(i);
        long da = a.dim(a.rank() - like.rank() + i);
        if (dl != 1 && dl != Shape.UNKNOWN && da != Shape.UNKNOWN && dl != da) {
          throw c.fail("cannot sum " + a + " down to " + like);
        }
      }
    }
    return List.of(new TensorType(c.dtype(0), like));
  }

  private static long[] axesOf(GradContext c) {
    return c.node().attrs().has("axes") ? c.node().attrs().getLongs("axes") : new long[0];
  }

  /** The upstream gradient reshaped so that it broadcasts against the input (reduced axes = 1). */
  private static Tensor keepDimsForm(GradContext c, Tensor t) {
    if (c.node().attrs().getBool("keepDims", false)) {
      return t;
    }
    long[] axes = axesOf(c);
    if (axes.length == 0) {
      return t; // a scalar broadcasts against anything
    }
    Shape in = c.x(0).shape();
    if (!in.hasRank()) {
      // only the run knows which axes negative ones name: reshape to shape(x) with axes = 1
      return c.ops().reshape(t, ShapeOpDefs.keptDimsShape(c.x(0), axes));
    }
    int rank = in.rank();
    long[] sorted = Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
    Tensor out = t;
    for (long a : sorted) {
      out = c.ops().expandDims(out, (int) a);
    }
    return out;
  }

  /** Number of elements each output of a mean averages over, as a tensor of x's dtype. */
  private static Tensor count(GradContext c) {
    Ops o = c.ops();
    Tensor x = c.x(0);
    Shape in = x.shape();
    long[] axes = axesOf(c);
    if (in.hasRank()) {
      long n = 1;
      boolean known = true;
      for (int a = 0; a < in.rank(); a++) {
        final int axis = a;
        boolean reduced =
            axes.length == 0
                || Arrays.stream(axes).anyMatch(v -> (v < 0 ? v + in.rank() : v) == axis);
        if (reduced) {
          known &= in.dim(a) != Shape.UNKNOWN;
          n *= in.dim(a);
        }
      }
      if (known) {
        return o.scalarLike(n, x);
      }
    }
    return o.cast(o.size(x, axes), x.dtype());
  }
}
