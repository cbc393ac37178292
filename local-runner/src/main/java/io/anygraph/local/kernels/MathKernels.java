package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Pow;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Elementwise arithmetic on ND4J's broadcasting pairwise ops and transforms. */
final class MathKernels {
  private MathKernels() {}

  static void register() {
    add("add", c -> one(exec(new AddOp(c.in(0), c.in(1)))));
    add("sub", c -> one(exec(new SubOp(c.in(0), c.in(1)))));
    add("mul", c -> one(exec(new MulOp(c.in(0), c.in(1)))));
    add("div", c -> {
      checkIntegerDivision(c);
      return one(exec(new DivOp(c.in(0), c.in(1))));
    });
    add("pow", c -> one(exec(new Pow(c.in(0), c.in(1)))));
    add("maximum", c -> one(exec(new Max(c.in(0), c.in(1)))));
    add("minimum", c -> one(exec(new Min(c.in(0), c.in(1)))));
    add("neg", c -> one(c.in(0).neg()));
    add("square", c -> one(c.in(0).mul(c.in(0))));
    add("sqrt", c -> one(Transforms.sqrt(c.in(0), true)));
    add("exp", c -> one(Transforms.exp(c.in(0), true)));
    add("log", c -> one(Transforms.log(c.in(0), true)));
    add("abs", c -> one(Transforms.abs(c.in(0), true)));
    add("sign", c -> one(Transforms.sign(c.in(0), true)));
  }

  /**
   * Integer division by zero, and MIN / -1 (whose quotient does not fit), trap inside native
   * code and would kill the JVM: both are reported before the native call.
   */
  private static void checkIntegerDivision(KernelContext c) {
    INDArray a = c.in(0);
    INDArray b = c.in(1);
    if (!b.dataType().isIntType() || b.length() == 0) {
      return;
    }
    if (b.eq(0).any()) {
      throw new ArithmeticException(c.fail("integer division by zero").getMessage());
    }
    if (!b.eq(-1).any() || !a.dataType().isSigned()) {
      return;
    }
    long min = -(1L << (a.dataType().width() * 8 - 1)); // the most negative value of the type
    long[] shape = c.outputShape(0);
    INDArray bigA = ArrayKernels.broadcastTo(a, shape);
    INDArray bigB = ArrayKernels.broadcastTo(b, shape);
    for (long i = 0; i < bigA.length(); i++) {
      if (bigB.getLong(i) == -1 && bigA.getLong(i) == min) {
        throw new ArithmeticException(c.fail("integer overflow: " + min + " / -1 does not fit in "
            + a.dataType()).getMessage());
      }
    }
  }

  static INDArray[] one(INDArray a) {
    return new INDArray[] {a};
  }

  static INDArray exec(DynamicCustomOp op) {
    return Nd4j.exec(op)[0];
  }
}
