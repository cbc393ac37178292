package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.binary;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three divisions: {@code div} (integers truncate toward zero, as C and TensorFlow's {@code
 * truncatediv}), and Python's {@code //} and {@code %} as {@code floorDiv} and {@code floorMod}.
 * Integer division by zero, and MIN / -1 (whose quotient does not fit), trap inside native code and
 * would kill the JVM: they are dealt with before any native call.
 */
final class DivisionKernels {
  private DivisionKernels() {}

  static void register() {
    add(
        "div",
        c -> {
          checkIntegerQuotient(c);
          return binary(c, "divide");
        });
    add("floorDiv", DivisionKernels::floorDiv);
    add("floorMod", DivisionKernels::floorMod);
  }

  private static INDArray[] floorDiv(KernelContext c) {
    if (!isInteger(c)) {
      return binary(c, "floordiv"); // floor(a / b)
    }
    checkIntegerQuotient(c);
    return one(floorOfIntegers(c, c.in(1), false));
  }

  private static INDArray[] floorMod(KernelContext c) {
    if (!isInteger(c)) {
      return binary(c, "floormod");
    }
    checkNonZeroDivisor(c);
    // MIN % -1 is 0 but its quotient traps natively; any x % -1 equals x % 1, which does not
    INDArray b = minOverMinusOne(c) ? minusOnesToOnes(c.in(1)) : c.in(1);
    return one(floorOfIntegers(c, b, true));
  }

  /**
   * Integer a // b (or a % b, with {@code remainder}) from C's truncating division, exact over the
   * whole range: q = a / b and r = a - q b; where r is non-zero and its sign differs from b's, the
   * floored results are q - 1 and r + b (neither overflows). libnd4j's own ops do not serve: its
   * floordiv truncates integers (-7 // 2 gives -3), and its floormod goes through floating point
   * (int32 2147483647 % -2 gives 0, not -1).
   */
  private static INDArray floorOfIntegers(KernelContext c, INDArray b, boolean remainder) {
    INDArray out = c.output(0);
    if (out.isEmpty()) {
      return out;
    }
    INDArray a = c.in(0);
    DataType type = out.dataType();
    long[] shape = out.shape();
    INDArray q = remainder ? c.scratch(type, shape) : out;
    INDArray r = remainder ? out : c.scratch(type, shape);
    NativeCall.exec("divide", new INDArray[] {a, b}, q);
    NativeCall.exec("multiply", new INDArray[] {q, b}, r);
    NativeCall.exec("subtract", new INDArray[] {a, r}, r);
    INDArray signOfB = c.scratch(type, b.shape());
    Nd4j.getExecutioner().exec(new Sign(b, signOfB));
    INDArray scaled = c.scratch(type, shape);
    NativeCall.exec("multiply", new INDArray[] {r, signOfB}, scaled);
    // 1 where r and b have unlike signs (r * sign(b) < 0), else 0
    INDArray correction = scaled.lt(0).castTo(type);
    if (remainder) {
      NativeCall.exec("multiply", new INDArray[] {correction, b}, scaled);
      NativeCall.exec("add", new INDArray[] {r, scaled}, out);
    } else {
      NativeCall.exec("subtract", new INDArray[] {q, correction}, out);
    }
    return out;
  }

  private static boolean isInteger(KernelContext c) {
    return c.in(1).dataType().isIntType();
  }

  /** Fails on integer division by zero, or on MIN / -1, whose quotient does not fit. */
  private static void checkIntegerQuotient(KernelContext c) {
    checkNonZeroDivisor(c);
    if (minOverMinusOne(c)) {
      INDArray a = c.in(0);
      throw new ArithmeticException(
          c.fail(
                  "integer overflow: "
                      + minValue(a.dataType())
                      + " / -1 does not fit in "
                      + a.dataType())
              .getMessage());
    }
  }

  private static void checkNonZeroDivisor(KernelContext c) {
    INDArray b = c.in(1);
    if (b.dataType().isIntType() && b.length() > 0 && b.eq(0).any()) {
      throw new ArithmeticException(c.fail("integer division by zero").getMessage());
    }
  }

  /** Whether some output element is the type's most negative value divided by -1. */
  private static boolean minOverMinusOne(KernelContext c) {
    INDArray a = c.in(0);
    INDArray b = c.in(1);
    if (!b.dataType().isIntType()
        || b.length() == 0
        || !a.dataType().isSigned()
        || !b.eq(-1).any()) {
      return false;
    }
    long min = minValue(a.dataType());
    long[] shape = c.outputShape(0);
    INDArray bigA = ArrayKernels.broadcastTo(a, shape);
    INDArray bigB = ArrayKernels.broadcastTo(b, shape);
    for (long i = 0; i < bigA.length(); i++) {
      if (bigB.getLong(i) == -1 && bigA.getLong(i) == min) {
        return true;
      }
    }
    return false;
  }

  private static long minValue(DataType t) {
    return -(1L << (t.width() * 8 - 1));
  }

  private static INDArray minusOnesToOnes(INDArray b) {
    INDArray copy = b.dup();
    for (long i = 0; i < copy.length(); i++) {
      if (copy.getLong(i) == -1) {
        copy.putScalar(i, 1);
      }
    }
    return copy;
  }
}
