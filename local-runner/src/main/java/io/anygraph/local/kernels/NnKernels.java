package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;
import static io.anygraph.local.kernels.MathKernels.unary;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Activations, and softmax / log-softmax along attribute {@code axis} (default the last) with
 * the maximum subtracted first, so large logits do not overflow.
 */
final class NnKernels {
  private NnKernels() {}

  static void register() {
    add("relu", c -> unary(c, (x, z) -> new RectifiedLinear(x, z, 0.0)));
    add("sigmoid", c -> unary(c, Sigmoid::new));
    add("tanh", c -> unary(c, Tanh::new));
    add("softmax", c -> alongAxis(c, "softmax"));
    add("logSoftmax", NnKernels::logSoftmax);
  }

  private static int axis(KernelContext c) {
    long a = c.attrs().getLong("axis", -1);
    return (int) (a < 0 ? a + c.in(0).rank() : a);
  }

  /** x - max - log(sum(exp(x - max))): libnd4j's log_softmax overflows for large logits. */
  private static INDArray[] logSoftmax(KernelContext c) {
    INDArray x = c.in(0);
    INDArray out = c.output(0);
    if (out.isEmpty()) {
      return one(out);
    }
    int[] axis = {axis(c)};
    long[] kept = x.shape().clone();
    kept[axis[0]] = 1;
    INDArray max = c.scratch(x.dataType(), kept);
    ReduceKernels.into("reduce_max", x, axis, max);
    NativeCall.exec("subtract", new INDArray[] {x, max}, out);
    INDArray e = c.scratch(x.dataType(), x.shape());
    Nd4j.getExecutioner().exec(new Exp(out, e));
    INDArray logSum = c.scratch(x.dataType(), kept);
    ReduceKernels.into("reduce_sum", e, axis, logSum);
    Nd4j.getExecutioner().exec(new Log(logSum, logSum));
    NativeCall.exec("subtract", new INDArray[] {out, logSum}, out);
    return one(out);
  }

  private static INDArray[] alongAxis(KernelContext c, String op) {
    INDArray out = c.output(0);
    if (!out.isEmpty()) {
      NativeCall.execInts(op, new INDArray[] {c.in(0)}, new INDArray[] {out}, axis(c));
    }
    return one(out);
  }
}
