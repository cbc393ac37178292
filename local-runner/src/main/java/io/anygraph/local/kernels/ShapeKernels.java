package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.factory.Nd4j;

/** Ops that read only their input's shape. */
final class ShapeKernels {
  private ShapeKernels() {}

  static void register() {
    add("size", c -> {
      long[] shape = c.in(0).shape();
      long n = 1;
      if (c.attrs().has("axes")) {
        for (long a : c.attrs().getLongs("axes")) {
          n *= shape[(int) (a < 0 ? a + shape.length : a)];
        }
      } else {
        for (long d : shape) {
          n *= d;
        }
      }
      return one(Nd4j.scalar(n));
    });
  }
}
