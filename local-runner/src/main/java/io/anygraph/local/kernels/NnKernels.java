package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.exec;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Activations, and softmax / log-softmax along attribute {@code axis} (default the last) with
 * the maximum subtracted first. Broadcasting ops, not row/column-vector ops, so any rank works.
 */
final class NnKernels {
  private NnKernels() {}

  static void register() {
    add("relu", c -> one(Transforms.relu(c.in(0), true)));
    add("sigmoid", c -> one(Transforms.sigmoid(c.in(0), true)));
    add("tanh", c -> one(Transforms.tanh(c.in(0), true)));
    add("softmax", c -> {
      int axis = axis(c);
      INDArray e = Transforms.exp(shifted(c.in(0), axis), false);
      return one(exec(new DivOp(e, e.sum(true, axis))));
    });
    add("logSoftmax", c -> {
      int axis = axis(c);
      INDArray shifted = shifted(c.in(0), axis);
      INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, axis), false);
      return one(exec(new SubOp(shifted, logSum)));
    });
  }

  private static int axis(KernelContext c) {
    long a = c.attrs().getLong("axis", -1);
    return (int) (a < 0 ? a + c.in(0).rank() : a);
  }

  /** x minus its maximum along {@code axis} (a new array), so exp cannot overflow. */
  private static INDArray shifted(INDArray x, int axis) {
    return exec(new SubOp(x, x.max(true, axis)));
  }
}
