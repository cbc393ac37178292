package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kernels of the layers' building blocks that are ops: {@code cumsum} on libnd4j's cumsum (integer
 * arguments exclusive, reverse, axis), and {@code topK} in Java, because libnd4j's top_k
 * (1.0.0-M2.1) drops repeated values: for [1, 5, 3, 5, 5] and k = 3 it gives [5, 3, 1].
 */
final class LayerKernels {
  private LayerKernels() {}

  static void register() {
    add("cumsum", LayerKernels::cumsum);
    add("topK", LayerKernels::topK);
  }

  private static INDArray[] cumsum(KernelContext c) {
    INDArray out = c.output(0);
    if (out.isEmpty()) {
      return new INDArray[] {out};
    }
    INDArray x = c.dense(c.in(0));
    long axis = c.attrs().getLong("axis");
    if (!x.dataType().isFPType()) {
      integerCumsum(c, x, (int) (axis < 0 ? axis + x.rank() : axis), out);
    } else {
      NativeCall.execInts(
          "cumsum",
          new INDArray[] {x},
          new INDArray[] {out},
          c.attrs().getBool("exclusive", false) ? 1 : 0,
          c.attrs().getBool("reverse", false) ? 1 : 0,
          axis < 0 ? axis + x.rank() : axis);
    }
    return new INDArray[] {out};
  }

  /**
   * libnd4j's cumsum takes floats only; integers are summed here, exactly, wrapping on overflow.
   */
  private static void integerCumsum(KernelContext c, INDArray x, int axis, INDArray out) {
    long[] shape = x.shape();
    long n = shape[axis];
    long inner = 1;
    for (int d = axis + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    long outer = x.length() / (n * inner);
    boolean exclusive = c.attrs().getBool("exclusive", false);
    boolean reverse = c.attrs().getBool("reverse", false);
    DataBuffer in = x.data();
    DataBuffer to = out.data();
    for (long o = 0; o < outer; o++) {
      for (long i = 0; i < inner; i++) {
        long sum = 0;
        for (long step = 0; step < n; step++) {
          long j = reverse ? n - 1 - step : step;
          long at = (o * n + j) * inner + i;
          long v = in.getLong(at);
          if (!exclusive) {
            sum += v;
          }
          to.put(at, sum);
          if (exclusive) {
            sum += v;
          }
        }
      }
    }
  }

  /**
   * Each line of the last axis sorted by value, largest first, equal values by index (as
   * TensorFlow); NaN counts as the largest value. Integers are compared as longs, floats as
   * doubles.
   */
  private static INDArray[] topK(KernelContext c) {
    INDArray x = c.dense(c.in(0));
    int k = (int) c.attrs().getLong("k");
    long n = x.rank() == 0 ? 0 : x.size(x.rank() - 1);
    if (n < k) {
      throw c.fail("k = " + k + " is larger than the last axis (" + n + ")");
    }
    INDArray values = c.output(0);
    INDArray indices = c.output(1);
    if (values.isEmpty()) {
      return new INDArray[] {values, indices};
    }
    boolean floating = x.dataType().isFPType();
    DataBuffer in = x.data();
    DataBuffer vals = values.data();
    DataBuffer idx = indices.data();
    long[] key = new long[(int) n];
    int[] order = new int[(int) n];
    int[] spare = new int[(int) n];
    long lines = x.length() / n;
    for (long line = 0; line < lines; line++) {
      long base = line * n;
      for (int j = 0; j < n; j++) {
        key[j] = floating ? sortableBits(in.getDouble(base + j)) : in.getLong(base + j);
        order[j] = j;
      }
      sortDescending(order, spare, key, 0, (int) n);
      for (int j = 0; j < k; j++) {
        long src = base + order[j];
        long dst = line * k + j;
        if (floating) {
          vals.put(dst, in.getDouble(src));
        } else {
          vals.put(dst, in.getLong(src));
        }
        idx.put(dst, order[j]);
      }
    }
    return new INDArray[] {values, indices};
  }

  /**
   * A long ordered as {@link Double#compare} orders doubles: -0.0 below 0.0, NaN above infinity.
   * The bits of a negative double grow as it shrinks, so all but the sign bit are flipped.
   */
  static long sortableBits(double d) {
    long bits = Double.doubleToLongBits(d); // one NaN for all
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /**
   * Sorts {@code order[from, to)} by {@code key} of each entry, largest first: a merge sort, so
   * stable, and entries that start in ascending order keep ties by lower index first. No boxing.
   */
  static void sortDescending(int[] order, int[] spare, long[] key, int from, int to) {
    if (to - from < 2) {
      return;
    }
    int mid = (from + to) >>> 1;
    sortDescending(order, spare, key, from, mid);
    sortDescending(order, spare, key, mid, to);
    if (key[order[mid - 1]] >= key[order[mid]]) {
      return; // already in order
    }
    System.arraycopy(order, from, spare, from, to - from);
    int a = from;
    int b = mid;
    for (int out = from; out < to; out++) {
      // the left run wins ties: that is what keeps the sort stable
      order[out] = b >= to || (a < mid && key[spare[a]] >= key[spare[b]]) ? spare[a++] : spare[b++];
    }
  }
}
