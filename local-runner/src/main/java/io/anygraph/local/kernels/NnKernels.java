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
 * Activations, and softmax / log-softmax along attribute {@code axis} (default the last) with the
 * maximum subtracted first, so that no logit overflows exp and no line sums to 0, in every float
 * dtype.
 */
final class NnKernels {
  private NnKernels() {}

  static void register() {
    add(
        "relu",
        c -> {
          INDArray out = c.output(0);
          if (out.isEmpty() || ReluLoops.tryRelu(c.in(0), out)) {
            return one(out);
          }
          return unary(c, (x, z) -> new RectifiedLinear(x, z, 0.0)); // other dtypes, layouts
        });
    add("sigmoid", c -> unary(c, Sigmoid::new));
    add("tanh", c -> unary(c, Tanh::new));
    add(
        "reluGrad",
        c -> {
          INDArray out = c.output(0);
          reluGrad(c.dense(c.in(0)), c.dense(c.in(1)), out);
          return one(out);
        });
    add("softmax", NnKernels::softmax);
    add("logSoftmax", NnKernels::logSoftmax);
  }

  /** {@code out = x > 0 ? dy : 0} for dense x and dy of out's shape. */
  static void reluGrad(INDArray x, INDArray dy, INDArray out) {
    if (!out.isEmpty() && !ReluLoops.tryGrad(x, dy, out)) {
      NativeCall.exec("relu_bp", new INDArray[] {x, dy}, out); // other float dtypes
    }
  }

  private static int axis(KernelContext c) {
    long a = c.attrs().getLong("axis", -1);
    return (int) (a < 0 ? a + c.in(0).rank() : a);
  }

  /**
   * exp(x - max) / sum(exp(x - max)). libnd4j's double softmax does not subtract the maximum: once
   * every logit of a line is below about -745, exp underflows to 0 and 0 / 0 gives NaN. Small
   * tensors: {@link RowSoftmax}.
   */
  private static INDArray[] softmax(KernelContext c) {
    INDArray out = c.output(0);
    if (out.isEmpty() || RowSoftmax.tryRun(c.in(0), axis(c), out, false)) {
      return one(out);
    }
    int[] axis = {axis(c)};
    subtractMax(c, axis, out);
    Nd4j.getExecutioner().exec(new Exp(out, out));
    INDArray sum = c.scratch(out.dataType(), keptShape(out, axis[0]));
    ReduceKernels.into("reduce_sum", out, axis, sum);
    NativeCall.exec("divide", new INDArray[] {out, sum}, out);
    return one(out);
  }

  /**
   * x - max - log(sum(exp(x - max))): libnd4j's log_softmax overflows for large logits. Small
   * tensors: {@link RowSoftmax}.
   */
  private static INDArray[] logSoftmax(KernelContext c) {
    INDArray out = c.output(0);
    if (out.isEmpty() || RowSoftmax.tryRun(c.in(0), axis(c), out, true)) {
      return one(out);
    }
    int[] axis = {axis(c)};
    subtractMax(c, axis, out);
    INDArray e = c.scratch(out.dataType(), out.shape());
    Nd4j.getExecutioner().exec(new Exp(out, e));
    INDArray logSum = c.scratch(out.dataType(), keptShape(out, axis[0]));
    ReduceKernels.into("reduce_sum", e, axis, logSum);
    Nd4j.getExecutioner().exec(new Log(logSum, logSum));
    NativeCall.exec("subtract", new INDArray[] {out, logSum}, out);
    return one(out);
  }

  /** out = x - max(x) along the axis: the largest value of each line becomes 0. */
  private static void subtractMax(KernelContext c, int[] axis, INDArray out) {
    INDArray x = c.in(0);
    INDArray max = c.scratch(x.dataType(), keptShape(x, axis[0]));
    ReduceKernels.into("reduce_max", x, axis, max);
    NativeCall.exec("subtract", new INDArray[] {x, max}, out);
  }

  /** The shape of x with the axis kept as size 1, to broadcast against x. */
  private static long[] keptShape(INDArray x, int axis) {
    long[] kept = x.shape().clone();
    kept[axis] = 1;
    return kept;
  }
}
