package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;

import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Elementwise arithmetic on libnd4j's broadcasting pairwise ops and its transforms, written into
 * buffers the executor lends (see {@link Buffers}). The divisions are in {@link DivisionKernels}.
 */
final class MathKernels {
  private MathKernels() {}

  static void register() {
    add("add", c -> binary(c, "add"));
    add("sub", c -> binary(c, "subtract"));
    add("mul", c -> binary(c, "multiply"));
    add("pow", c -> binary(c, "Pow"));
    add("maximum", c -> binary(c, "maximum"));
    add("minimum", c -> binary(c, "minimum"));
    add("neg", c -> unary(c, Negative::new));
    add(
        "square",
        c -> {
          INDArray out = c.output(0);
          if (!out.isEmpty()) {
            NativeCall.exec("multiply", new INDArray[] {c.in(0), c.in(0)}, out);
          }
          return one(out);
        });
    add("sqrt", c -> unary(c, Sqrt::new));
    add("exp", c -> unary(c, Exp::new));
    add("log", c -> unary(c, Log::new));
    add("abs", c -> unary(c, Abs::new));
    add("sign", c -> unary(c, Sign::new));
  }

  /**
   * A broadcasting libnd4j op on inputs 0 and 1, into a lent buffer of the inferred shape (tiny
   * float cases in Java: {@link SmallElementwise}).
   */
  static INDArray[] binary(KernelContext c, String op) {
    INDArray out = c.output(0);
    if (!out.isEmpty() && !SmallElementwise.tryBinary(op, c.in(0), c.in(1), out)) {
      NativeCall.exec(op, new INDArray[] {c.in(0), c.in(1)}, out);
    }
    return one(out);
  }

  /** A libnd4j transform (x, z) of input 0 into a lent buffer. */
  static INDArray[] unary(KernelContext c, BiFunction<INDArray, INDArray, Op> transform) {
    INDArray out = c.output(0);
    if (!out.isEmpty()) {
      Nd4j.getExecutioner().exec(transform.apply(c.in(0), out));
    }
    return one(out);
  }

  static INDArray[] one(INDArray a) {
    return new INDArray[] {a};
  }
}
