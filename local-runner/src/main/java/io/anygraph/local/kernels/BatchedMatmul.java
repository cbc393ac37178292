package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * matmul on batches of matrices (either operand of rank > 2). libnd4j's {@code matmul} custom op
 * multiplies batches of equal shape; batch axes that broadcast (size 1 or absent) are expanded
 * first. Shapes are checked here, before the native call, which would only print and fail.
 */
final class BatchedMatmul {
  private BatchedMatmul() {}

  static INDArray compute(KernelContext c, boolean ta, boolean tb) {
    INDArray a = c.in(0);
    INDArray b = c.in(1);
    if (a.rank() < 2 || b.rank() < 2) {
      throw c.fail("matmul takes matrices or batches of matrices (rank >= 2)");
    }
    long k1 = a.size(a.rank() - (ta ? 2 : 1));
    long k2 = b.size(b.rank() - (tb ? 1 : 2));
    if (k1 != k2) {
      throw c.fail("inner dimensions differ (" + k1 + " vs " + k2 + ")");
    }
    long[] batch = broadcastBatch(c, a.shape(), b.shape());
    long m = a.size(a.rank() - (ta ? 1 : 2));
    long n = b.size(b.rank() - (tb ? 2 : 1));
    long[] outShape = Arrays.copyOf(batch, batch.length + 2);
    outShape[batch.length] = m;
    outShape[batch.length + 1] = n;
    INDArray out = c.output(0);
    if (!Arrays.equals(out.shape(), outShape)) {
      throw c.fail(
          "output " + Arrays.toString(out.shape()) + " is not " + Arrays.toString(outShape));
    }
    if (k1 == 0) {
      return Buffers.zero(out);
    }
    if (out.isEmpty()) {
      return out;
    }
    INDArray denseA = denseBatch(a, batch);
    INDArray denseB = denseBatch(b, batch);
    NativeCall.execInts(
        "matmul", new INDArray[] {denseA, denseB}, new INDArray[] {out}, ta ? 1 : 0, tb ? 1 : 0);
    return out;
  }

  /** NumPy broadcast of the batch axes (all but the last two) of two shapes. */
  private static long[] broadcastBatch(KernelContext c, long[] a, long[] b) {
    int ra = a.length - 2;
    int rb = b.length - 2;
    int r = Math.max(ra, rb);
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i < r - ra ? 1 : a[i - (r - ra)];
      long db = i < r - rb ? 1 : b[i - (r - rb)];
      if (da != db && da != 1 && db != 1) {
        throw c.fail(
            "batch dimensions "
                + Arrays.toString(Arrays.copyOf(a, ra))
                + " and "
                + Arrays.toString(Arrays.copyOf(b, rb))
                + " cannot be broadcast together");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** x with its batch axes broadcast to {@code batch}, as a dense row-major array. */
  private static INDArray denseBatch(INDArray x, long[] batch) {
    long[] full = Arrays.copyOf(batch, batch.length + 2);
    full[batch.length] = x.size(x.rank() - 2);
    full[batch.length + 1] = x.size(x.rank() - 1);
    INDArray wide = ArrayKernels.broadcastTo(x, full);
    return Layouts.denseRowMajor(wide);
  }
}
