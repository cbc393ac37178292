package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.Layouts;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** argMax, oneHot, reverse. */
final class IndexingKernels {
  private IndexingKernels() {}

  static void register() {
    add(
        "argMax",
        c -> {
          INDArray x = c.in(0);
          int axis = (int) c.attrs().getLong("axis");
          return one(
              Nd4j.argMax(x, axis < 0 ? axis + x.rank() : axis)
                  .castTo(DataType.LONG)
                  .reshape(c.outputShape(0)));
        });
    add(
        "oneHot",
        c -> {
          long[] idx = longs(c.in(0));
          long depth = c.attrs().getLong("depth");
          INDArray result = c.output(0);
          if (result.isEmpty()) {
            return one(result);
          }
          // the ones go straight into dense memory (a lent buffer is; anything else via a copy)
          INDArray dense =
              Layouts.isDenseRowMajor(result)
                  ? result
                  : c.scratch(result.dataType(), result.shape());
          DataBuffer out = Buffers.zero(dense).data();
          for (int i = 0; i < idx.length; i++) {
            if (idx[i] >= 0 && idx[i] < depth) {
              out.put(i * depth + idx[i], 1.0);
            } else if (c.attrs().getBool("strict", false)) {
              throw c.fail(
                  "index " + idx[i] + " at position " + i + " is outside [0, " + depth + ")");
            }
          }
          if (dense != result) {
            result.assign(dense);
          }
          return one(result);
        });
    add("reverse", IndexingKernels::reverse);
  }

  /**
   * Reverses along each given axis (all axes when none are given) by picking the axis's rows in
   * reverse order. libnd4j's {@code reverse} op is not used for some axes: in 1.0.0-M2.1 it retains
   * about two copies of its input per call (native memory grew ~170 MB per 1,000 calls on a [64,
   * 256] float array); its full reversal does not, and is used for all axes.
   */
  private static INDArray[] reverse(KernelContext c) {
    INDArray x = c.in(0);
    long[] axes = c.attrs().getLongs("axes");
    INDArray out = c.output(0);
    if (out.isEmpty()) {
      return one(out);
    }
    if (axes.length == 0 || axes.length == x.rank()) {
      NativeCall.exec("reverse", new INDArray[] {c.dense(x)}, out);
      return one(out);
    }
    INDArray r = x;
    for (long a : axes) {
      r = reverseAxis(r, (int) (a < 0 ? a + x.rank() : a));
    }
    return one(out.assign(r));
  }

  /** x reversed along one axis: the axis moved first, its rows pulled in reverse, moved back. */
  private static INDArray reverseAxis(INDArray x, int axis) {
    int rank = x.rank();
    int[] toFront = new int[rank];
    int[] back = new int[rank];
    toFront[0] = axis;
    for (int d = 0, k = 1; d < rank; d++) {
      if (d != axis) {
        toFront[k++] = d;
      }
    }
    for (int d = 0; d < rank; d++) {
      back[toFront[d]] = d;
    }
    INDArray moved = x.permute(toFront).dup('c');
    long n = moved.size(0);
    int[] rows = new int[(int) n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) (n - 1 - i);
    }
    INDArray matrix = moved.reshape('c', n, moved.length() / Math.max(1, n));
    return Nd4j.pullRows(matrix, 1, rows).reshape('c', moved.shape()).permute(back);
  }

  /**
   * The elements of an integer array in row-major order. A copy first: {@code data()} is the whole
   * underlying buffer, which for a view (a transpose, a slice) holds other elements or another
   * order.
   */
  static long[] longs(INDArray a) {
    if (!a.dataType().isIntType() || !Layouts.isDenseRowMajor(a)) {
      return a.castTo(DataType.LONG).dup('c').data().asLong();
    }
    // dense integers are read where they lie: no cast and copy per call (oneHot's labels)
    DataBuffer data = a.data();
    long[] v = new long[(int) a.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = data.getLong(i);
    }
    return v;
  }
}
