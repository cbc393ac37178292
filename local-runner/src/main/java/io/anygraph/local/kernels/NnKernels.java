package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Activations, and softmax / log-softmax along the last axis with the maximum subtracted. */
final class NnKernels {
  private NnKernels() {}

  static void register() {
    add("relu", c -> one(Transforms.relu(c.in(0), true)));
    add("sigmoid", c -> one(Transforms.sigmoid(c.in(0), true)));
    add("tanh", c -> one(Transforms.tanh(c.in(0), true)));
    add("softmax", c -> {
      INDArray shifted = shifted(c.in(0));
      Transforms.exp(shifted, false);
      int last = shifted.rank() - 1;
      return one(shifted.diviColumnVector(shifted.sum(true, last)));
    });
    add("logSoftmax", c -> {
      INDArray shifted = shifted(c.in(0));
      int last = shifted.rank() - 1;
      INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, last), false);
      return one(shifted.subiColumnVector(logSum));
    });
  }

  /** x minus its maximum along the last axis (a new array), so exp cannot overflow. */
  private static INDArray shifted(INDArray x) {
    int last = x.rank() - 1;
    return x.dup('c').subiColumnVector(x.max(true, last));
  }
}
