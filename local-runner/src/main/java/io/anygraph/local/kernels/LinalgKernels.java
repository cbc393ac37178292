package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.factory.Nd4j;

/** Matrix products through ND4J's GEMM. */
final class LinalgKernels {
  private LinalgKernels() {}

  static void register() {
    add("matmul", c -> {
      boolean ta = c.attrs().getBool("transposeA", false);
      boolean tb = c.attrs().getBool("transposeB", false);
      long k1 = c.in(0).size(ta ? 0 : 1);
      long k2 = c.in(1).size(tb ? 1 : 0);
      if (k1 != k2) {
        throw c.fail("inner dimensions differ (" + k1 + " vs " + k2 + ")");
      }
      return one(Nd4j.gemm(c.in(0), c.in(1), ta, tb));
    });
  }
}
