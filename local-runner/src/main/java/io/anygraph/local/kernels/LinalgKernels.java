package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through BLAS ({@link Gemm}), written into a lent buffer for float types; batches
 * of matrices (rank > 2) go to {@link BatchedMatmul}.
 */
final class LinalgKernels {
  private LinalgKernels() {}

  /**
   * {@code -Danygraph.matmul=libnd4j} runs 2-D float products through libnd4j's {@code matmul} op
   * (oneDNN's matmul in the oneDNN build, on the OpenMP threads of the other ops) instead of BLAS,
   * to compare.
   */
  private static final boolean VIA_LIBND4J =
      "libnd4j".equals(System.getProperty("anygraph.matmul"));

  static void register() {
    add(
        "matmul",
        c -> {
          boolean ta = c.attrs().getBool("transposeA", false);
          boolean tb = c.attrs().getBool("transposeB", false);
          if (c.in(0).rank() != 2 || c.in(1).rank() != 2) {
            return one(BatchedMatmul.compute(c, ta, tb));
          }
          long k1 = c.in(0).size(ta ? 0 : 1);
          long k2 = c.in(1).size(tb ? 1 : 0);
          if (k1 != k2) {
            throw c.fail("inner dimensions differ (" + k1 + " vs " + k2 + ")");
          }
          // BLAS reads a leading dimension, not strides: a broadcast (stride-0) or offset view
          // would be read as other memory
          INDArray a = c.dense(c.in(0));
          INDArray b = c.dense(c.in(1));
          DataType t = a.dataType();
          if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            return one(Nd4j.gemm(a, b, ta, tb));
          }
          INDArray out = c.output(0);
          if (k1 == 0) {
            Buffers.zero(out);
          } else if (!out.isEmpty()) {
            Gemm.multiply(a, b, out, ta, tb, 1.0, 0.0);
          }
          return one(out);
        });
  }
}
