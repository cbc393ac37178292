package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Shape;
import io.anygraph.core.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** Ops that move or relabel elements: reshape, transpose, cast, broadcast, fill-like. */
final class ArrayOpDefs {
  private ArrayOpDefs() {}

  static void define() {
    register(OpDef.of("identity", c -> List.of(c.in(0)), c -> List.of(c.dy())));
    // identity that fails on NaN or infinity (CheckNumerics); the gradient is not checked
    register(OpDef.of("checkNumerics", c -> List.of(c.in(0)), c -> List.of(c.dy())));
    register(
        OpDef.of(
            "reshape", ArrayOpDefs::reshape, c -> List.of(c.ops().reshapeLike(c.dy(), c.x(0)))));
    register(
        OpDef.of(
            "reshapeLike",
            ArrayOpDefs::reshapeLike,
            c -> Arrays.asList(c.ops().reshapeLike(c.dy(), c.x(0)), null)));
    register(
        OpDef.of(
            "transpose",
            ArrayOpDefs::transpose,
            c -> {
              long[] perm = c.node().attrs().has("perm") ? c.node().attrs().getLongs("perm") : null;
              int[] inverse = null;
              if (perm != null) {
                inverse = new int[perm.length];
                for (int i = 0; i < perm.length; i++) {
                  inverse[(int) (perm[i] < 0 ? perm[i] + perm.length : perm[i])] =
                      i; // perm may count from the end
                }
              }
              return List.of(
                  inverse == null ? c.ops().transpose(c.dy()) : c.ops().transpose(c.dy(), inverse));
            }));
    register(
        OpDef.of(
            "cast",
            ArrayOpDefs::cast,
            c -> {
              boolean flows = c.x(0).dtype().isFloating() && c.y().dtype().isFloating();
              return Arrays.asList(flows ? c.ops().cast(c.dy(), c.x(0).dtype()) : null);
            }));
    register(
        OpDef.of(
            "expandDims",
            ArrayOpDefs::expandDims,
            c -> List.of(c.ops().reshapeLike(c.dy(), c.x(0)))));
    register(
        OpDef.of(
            "squeeze", ArrayOpDefs::squeeze, c -> List.of(c.ops().reshapeLike(c.dy(), c.x(0)))));
    register(
        OpDef.of(
            "broadcastLike",
            ArrayOpDefs::broadcastLike,
            c -> Arrays.asList(c.ops().reduceSumLike(c.dy(), c.x(0)), null)));
    register(
        OpDef.of(
            "reverse",
            c -> {
              c.requireInputs(1);
              if (c.shape(0).hasRank()) {
                ShapeRules.axes(c, c.attrs().getLongs("axes"), c.shape(0).rank());
              }
              return List.of(c.in(0));
            },
            c -> List.of(c.ops().reverse(c.dy(), toInts(c.node().attrs().getLongs("axes"))))));
    register(OpDef.noGradient("onesLike", c -> List.of(c.in(0))));
    register(OpDef.noGradient("zerosLike", c -> List.of(c.in(0))));
  }

  private static int[] toInts(long[] a) {
    return Arrays.stream(a).mapToInt(v -> (int) v).toArray();
  }

  static List<TensorType> reshape(OpContext c) {
    c.requireInputs(1);
    long[] target = c.attrs().getLongs("shape");
    int unknownAt = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        if (unknownAt >= 0) {
          throw c.fail("target shape " + Arrays.toString(target) + " has more than one -1");
        }
        unknownAt = i;
      } else if (target[i] < 0) {
        throw c.fail(
            "invalid dimension " + target[i] + " in target shape " + Arrays.toString(target));
      } else {
        known *= target[i];
      }
    }
    long size = c.shape(0).size();
    long[] out = target.clone();
    if (size >= 0) {
      if (unknownAt >= 0) {
        if (known == 0 || size % known != 0) {
          throw c.fail(
              "cannot reshape "
                  + c.shape(0)
                  + " ("
                  + size
                  + " elements) to "
                  + Arrays.toString(target));
        }
        out[unknownAt] = size / known;
      } else if (known != size) {
        throw c.fail(
            "cannot reshape "
                + c.shape(0)
                + " ("
                + size
                + " elements) to "
                + Arrays.toString(target)
                + " ("
                + known
                + " elements)");
      }
    }
    return List.of(new TensorType(c.dtype(0), Shape.of(out)));
  }

  static List<TensorType> reshapeLike(OpContext c) {
    c.requireInputs(2);
    long a = c.shape(0).size();
    long b = c.shape(1).size();
    if (a >= 0 && b >= 0 && a != b) {
      throw c.fail("cannot reshape " + c.shape(0) + " to " + c.shape(1));
    }
    return List.of(new TensorType(c.dtype(0), c.shape(1)));
  }

  static List<TensorType> transpose(OpContext c) {
    c.requireInputs(1);
    Shape in = c.shape(0);
    if (!in.hasRank()) {
      return List.of(c.in(0));
    }
    int r = in.rank();
    long[] perm = c.attrs().has("perm") ? c.attrs().getLongs("perm") : null;
    long[] out = new long[r];
    if (perm == null) {
      for (int i = 0; i < r; i++) {
        out[i] = in.dim(r - 1 - i);
      }
    } else {
      if (perm.length != r) {
        throw c.fail("permutation " + Arrays.toString(perm) + " does not match rank " + r);
      }
      boolean[] seen = new boolean[r];
      for (int i = 0; i < r; i++) {
        int p = c.axis(perm[i], r);
        if (seen[p]) {
          throw c.fail(Arrays.toString(perm) + " is not a permutation");
        }
        seen[p] = true;
        out[i] = in.dim(p);
      }
    }
    return List.of(new TensorType(c.dtype(0), Shape.of(out)));
  }

  static List<TensorType> cast(OpContext c) {
    c.requireInputs(1);
    return List.of(new TensorType(c.attrs().getDType("dtype"), c.shape(0)));
  }

  static List<TensorType> expandDims(OpContext c) {
    c.requireInputs(1);
    Shape in = c.shape(0);
    if (!in.hasRank()) {
      return List.of(c.in(0));
    }
    int axis = c.axis(c.attrs().getLong("axis"), in.rank() + 1);
    List<Long> d = new ArrayList<>();
    for (long x : in.dims()) {
      d.add(x);
    }
    d.add(axis, 1L);
    return List.of(
        new TensorType(c.dtype(0), Shape.of(d.stream().mapToLong(Long::longValue).toArray())));
  }

  static List<TensorType> squeeze(OpContext c) {
    c.requireInputs(1);
    Shape in = c.shape(0);
    if (!in.hasRank()) {
      return List.of(c.in(0));
    }
    long[] axes = c.attrs().has("axes") ? c.attrs().getLongs("axes") : new long[0];
    int[] drop;
    if (axes.length == 0) {
      if (!in.isFullyDefined()) {
        return List.of(new TensorType(c.dtype(0), Shape.unknownRank()));
      }
      drop = IntStream.range(0, in.rank()).filter(i -> in.dim(i) == 1).toArray();
    } else {
      drop = ShapeRules.axes(c, axes, in.rank());
      for (int a : drop) {
        if (in.dim(a) != 1 && in.dim(a) != Shape.UNKNOWN) {
          throw c.fail("cannot squeeze axis " + a + " of size " + in.dim(a));
        }
      }
    }
    List<Long> d = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      if (Arrays.binarySearch(drop, i) < 0) {
        d.add(in.dim(i));
      }
    }
    return List.of(
        new TensorType(c.dtype(0), Shape.of(d.stream().mapToLong(Long::longValue).toArray())));
  }

  /** broadcastLike(a, like): a broadcast to like's shape. */
  static List<TensorType> broadcastLike(OpContext c) {
    c.requireInputs(2);
    Shape b = ShapeRules.broadcast(c, c.shape(0), c.shape(1));
    if (b.hasRank()
        && c.shape(1).hasRank()
        && (b.rank() != c.shape(1).rank() || !c.shape(1).accepts(b))) {
      throw c.fail("cannot broadcast " + c.shape(0) + " to " + c.shape(1));
    }
    return List.of(new TensorType(c.dtype(0), b));
  }
}
