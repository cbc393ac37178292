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
          relu(c.in(0), out);
          return one(out);
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

  /** {@code out = relu(x)}: {@link ReluLoops} where it applies, else libnd4j's. */
  static void relu(INDArray x, INDArray out) {
    if (!out.isEmpty() && !ReluLoops.tryRelu(x, out)) {
      Nd4j.getExecutioner().exec(new RectifiedLinear(x, out, 0.0)); // other dtypes, layouts
    }
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
    softmaxInto(c, c.in(0), axis(c), out, false);
    return one(out);
  }

  /**
   * x - max - log(sum(exp(x - max))): libnd4j's log_softmax overflows for large logits. Small
   * tensors: {@link RowSoftmax}.
   */
  private static INDArray[] logSoftmax(KernelContext c) {
    INDArray out = c.output(0);
    softmaxInto(c, c.in(0), axis(c), out, true);
    return one(out);
  }

  /** {@code out = softmax(x)} (or its log) along {@code axis}, out of x's shape and dtype. */
  static void softmaxInto(KernelContext c, INDArray v, int axis, INDArray out, boolean log) {
    // a small view is copied first, so that it takes the same path as its values
    INDArray x = v.length() <= RowSoftmax.MAX_ELEMENTS ? c.dense(v) : v;
    if (out.isEmpty() || RowSoftmax.tryRun(x, axis, out, log)) {
      return;
    }
    int[] axes = {axis};
    INDArray max = c.scratch(x.dataType(), keptShape(x, axis));
    ReduceKernels.into("reduce_max", x, axes, max);
    NativeCall.exec("subtract", new INDArray[] {x, max}, out); // the largest of a line: 0
    if (log) {
      INDArray e = c.scratch(out.dataType(), out.shape());
      Nd4j.getExecutioner().exec(new Exp(out, e));
      INDArray logSum = c.scratch(out.dataType(), keptShape(out, axis));
      ReduceKernels.into("reduce_sum", e, axes, logSum);
      Nd4j.getExecutioner().exec(new Log(logSum, logSum));
      NativeCall.exec("subtract", new INDArray[] {out, logSum}, out);
    } else {
      Nd4j.getExecutioner().exec(new Exp(out, out));
      INDArray sum = c.scratch(out.dataType(), keptShape(out, axis));
      ReduceKernels.into("reduce_sum", out, axes, sum);
      NativeCall.exec("divide", new INDArray[] {out, sum}, out);
    }
  }

  /** The shape of x with the axis kept as size 1, to broadcast against x. */
  static long[] keptShape(INDArray x, int axis) {
    long[] kept = x.shape().clone();
    kept[axis] = 1;
    return kept;
  }
}
