package io.anygraph.interop.tf;

import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * TensorFlow's {@code StridedSlice} ({@code x[1:, ..., ::-1, tf.newaxis, 0]}) with constant begin,
 * end and strides and all five masks, as slice, reverse, squeeze and expandDims. Strides other than
 * 1 and -1 fail, except on a known vector, which is folded.
 */
final class TfStridedSlice {
  private TfStridedSlice() {}

  /** One input axis: {@code [begin, end)} stepped by {@code stride}, or one element (shrink). */
  private record AxisSlice(long begin, long end, long stride, boolean shrink) {}

  /** The slice per input axis, and where new axes go among the kept ones. */
  private record Plan(List<AxisSlice> axes, List<Integer> newAxisPositions) {}

  static Tensor build(TfOpContext c) {
    Tensor x = c.in(0);
    Shape shape = x.shape();
    if (!shape.hasRank()) {
      throw c.fail("needs the rank of its input " + x.name());
    }
    Plan plan = plan(c, shape.dims());
    return c.composite(
        () -> {
          Ops o = c.ops();
          int rank = plan.axes().size();
          long[] begin = new long[rank];
          long[] size = new long[rank];
          List<Integer> reversed = new ArrayList<>();
          List<Integer> shrunk = new ArrayList<>();
          boolean identity = true;
          for (int d = 0; d < rank; d++) {
            AxisSlice a = plan.axes().get(d);
            long n = shape.dim(d);
            if (a.stride() == 1) {
              begin[d] = a.begin();
              size[d] = a.end() == Long.MAX_VALUE ? -1 : Math.max(0, a.end() - a.begin());
            } else if (a.stride() == -1) {
              begin[d] = a.end() + 1;
              size[d] = Math.max(0, a.begin() - a.end());
              reversed.add(d);
            } else {
              throw c.fail(
                  "stride " + a.stride() + " on axis " + d + " (only 1 and -1 are supported)");
            }
            if (a.shrink()) {
              shrunk.add(d);
            }
            identity &= begin[d] == 0 && (size[d] == -1 || size[d] == n) && a.stride() == 1;
          }
          Tensor y = identity ? x : o.slice(x, begin, size);
          if (!reversed.isEmpty()) {
            y = o.reverse(y, reversed.stream().mapToInt(Integer::intValue).toArray());
          }
          if (!shrunk.isEmpty()) {
            y = o.squeeze(y, shrunk.stream().mapToInt(Integer::intValue).toArray());
          }
          for (int p : plan.newAxisPositions()) {
            y = o.expandDims(y, p);
          }
          return y == x ? o.identity(x) : y;
        });
  }

  /** Folds the slice of a known vector, any stride; null when not a known vector. */
  static Folded fold(TfOpContext c) {
    Folded a = c.folded(0);
    if (a == null
        || a.rank() != 1
        || c.known(1) == null
        || c.known(2) == null
        || c.known(3) == null
        || c.node.integer("new_axis_mask", 0) != 0
        || c.node.integer("ellipsis_mask", 0) != 0) {
      return null;
    }
    AxisSlice s = plan(c, a.shape()).axes().get(0);
    long end = s.end() == Long.MAX_VALUE ? a.values().length : s.end();
    if (s.shrink()) {
      return Folded.scalar(a.dtype(), a.values()[(int) s.begin()]);
    }
    return TfFolding.slice1d(a, s.begin(), end, s.stride());
  }

  private static Plan plan(TfOpContext c, long[] dims) {
    long[] b = c.constInts(1, "begin");
    long[] e = c.constInts(2, "end");
    long[] st = c.constInts(3, "strides");
    if (b.length != e.length || b.length != st.length) {
      throw c.fail("begin, end and strides differ in length");
    }
    long beginMask = c.node.integer("begin_mask", 0);
    long endMask = c.node.integer("end_mask", 0);
    long ellipsisMask = c.node.integer("ellipsis_mask", 0);
    long newAxisMask = c.node.integer("new_axis_mask", 0);
    long shrinkMask = c.node.integer("shrink_axis_mask", 0);
    int rank = dims.length;
    int real = 0;
    for (int j = 0; j < b.length; j++) {
      real += bit(ellipsisMask, j) || bit(newAxisMask, j) ? 0 : 1;
    }
    List<AxisSlice> axes = new ArrayList<>();
    List<Integer> newAxes = new ArrayList<>();
    int kept = 0; // axes of the output so far (kept input axes and new ones)
    for (int j = 0; j < b.length; j++) {
      if (bit(ellipsisMask, j)) {
        for (int t = 0; t < rank - real; t++) {
          axes.add(new AxisSlice(0, Long.MAX_VALUE, 1, false));
          kept++;
        }
      } else if (bit(newAxisMask, j)) {
        newAxes.add(kept++);
      } else {
        int d = axes.size();
        if (d >= rank) {
          throw c.fail("slices " + b.length + " axes of a rank-" + rank + " input");
        }
        AxisSlice a =
            axis(
                c,
                d,
                dims[d],
                b[j],
                e[j],
                st[j],
                bit(beginMask, j),
                bit(endMask, j),
                bit(shrinkMask, j));
        axes.add(a);
        kept += a.shrink() ? 0 : 1;
      }
    }
    while (axes.size() < rank) {
      axes.add(new AxisSlice(0, Long.MAX_VALUE, 1, false));
    }
    return new Plan(axes, newAxes);
  }

  /** Begin and end made absolute and clamped; {@code Long.MAX_VALUE} end: to the end. */
  private static AxisSlice axis(
      TfOpContext c,
      int d,
      long n,
      long b,
      long e,
      long stride,
      boolean beginMasked,
      boolean endMasked,
      boolean shrink) {
    if (stride == 0) {
      throw c.fail("stride 0 on axis " + d);
    }
    boolean known = n != Shape.UNKNOWN;
    if (shrink) {
      long i = b < 0 ? needDim(c, d, n) + b : b;
      if (known && (i < 0 || i >= n)) {
        throw c.fail("index " + b + " is out of range for axis " + d + " of size " + n);
      }
      return new AxisSlice(i, i + 1, 1, true);
    }
    if (stride > 0) {
      long begin = beginMasked ? 0 : b < 0 ? needDim(c, d, n) + b : b;
      long end = endMasked ? Long.MAX_VALUE : e < 0 ? needDim(c, d, n) + e : e;
      if (known) {
        begin = Math.max(0, Math.min(begin, n));
        end = end == Long.MAX_VALUE ? n : Math.max(begin, Math.min(end, n));
      }
      return new AxisSlice(begin, end, stride, false);
    }
    long size = needDim(c, d, n);
    long begin = beginMasked ? size - 1 : b < 0 ? size + b : Math.min(b, size - 1);
    long end = endMasked ? -1 : e < 0 ? Math.max(-1, size + e) : e;
    return new AxisSlice(begin, Math.min(end, begin), stride, false);
  }

  private static long needDim(TfOpContext c, int d, long n) {
    if (n == Shape.UNKNOWN) {
      throw c.fail("needs the size of axis " + d + " for a negative index or a negative stride");
    }
    return n;
  }

  private static boolean bit(long mask, int j) {
    return (mask >> j & 1) == 1;
  }
}
