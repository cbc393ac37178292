package io.anygraph.core.ops;

import io.anygraph.core.Shape;
import java.util.Arrays;

/** Shape arithmetic shared by several op families. */
public final class ShapeRules {
  private ShapeRules() {}

  /**
   * NumPy broadcasting of two shapes. Unknown dimensions broadcast optimistically (as in
   * TensorFlow); the concrete shapes are checked again when values arrive.
   */
  public static Shape broadcast(OpContext c, Shape a, Shape b) {
    Shape out = broadcastOrNull(a, b);
    if (out == null) {
      throw c.fail("shapes " + a + " and " + b + " cannot be broadcast together");
    }
    return out;
  }

  /** As {@link #broadcast}, but null where the shapes cannot be broadcast together. */
  public static Shape broadcastOrNull(Shape a, Shape b) {
    if (!a.hasRank() || !b.hasRank()) {
      return Shape.unknownRank();
    }
    int r = Math.max(a.rank(), b.rank());
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
      long db = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
      if (da == 1) {
        out[i] = db;
      } else if (db == 1) {
        out[i] = da;
      } else if (da == Shape.UNKNOWN) {
        out[i] = db;
      } else if (db == Shape.UNKNOWN || da == db) {
        out[i] = da;
      } else {
        return null;
      }
    }
    return Shape.of(out);
  }

  /** Normalized, sorted, distinct axes; null or empty means all axes. */
  public static int[] axes(OpContext c, long[] axes, int rank) {
    if (axes == null || axes.length == 0) {
      int[] all = new int[rank];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = c.axis(axes[i], rank);
    }
    int[] sorted = Arrays.stream(out).sorted().distinct().toArray();
    if (sorted.length != out.length) {
      throw c.fail("repeated axis in " + Arrays.toString(axes));
    }
    return sorted;
  }

  /** The shape after reducing {@code axes} (keeping them as 1 when {@code keepDims}). */
  public static Shape reduced(Shape in, int[] axes, boolean keepDims) {
    long[] d = in.dims();
    long[] out = new long[keepDims ? d.length : d.length - axes.length];
    int k = 0;
    for (int i = 0; i < d.length; i++) {
      boolean reduced = Arrays.binarySearch(axes, i) >= 0;
      if (!reduced) {
        out[k++] = d[i];
      } else if (keepDims) {
        out[k++] = 1;
      }
    }
    return Shape.of(out);
  }
}
