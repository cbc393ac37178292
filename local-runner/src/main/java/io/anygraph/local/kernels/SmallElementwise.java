package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Add, subtract, multiply and divide of tiny float tensors, computed in Java. Below {@link
 * #MAX_ELEMENTS} elements the fixed cost of a libnd4j call (a native context, three buffers handed
 * over, the op's own checks: over a microsecond) is many times the arithmetic, and a graph of
 * scalars and short vectors (counters, schedules, losses, the bench's chain of adds) is nothing but
 * that cost. The results are the same bits as libnd4j's: each is one IEEE-754 operation rounded to
 * the output type, in Java as in C++.
 *
 * <p>Covered: float32 or float64, operands dense row-major, of the output's shape or of one element
 * (a scalar broadcast). Everything else goes to libnd4j. {@code -Danygraph.smallKernels=false}
 * turns this off (to compare).
 */
final class SmallElementwise {
  /** Up to this many output elements, Java's loop beats the native call's fixed cost. */
  static final int MAX_ELEMENTS = 256;

  private static final boolean ENABLED =
      !"false".equals(System.getProperty("anygraph.smallKernels"));

  /** The four operations, by their libnd4j names. */
  enum Op {
    ADD,
    SUBTRACT,
    MULTIPLY,
    DIVIDE;

    static Op named(String libnd4jName) {
      return switch (libnd4jName) {
        case "add" -> ADD;
        case "subtract" -> SUBTRACT;
        case "multiply" -> MULTIPLY;
        case "divide" -> DIVIDE;
        default -> null;
      };
    }

    double apply(double x, double y) {
      return switch (this) {
        case ADD -> x + y;
        case SUBTRACT -> x - y;
        case MULTIPLY -> x * y;
        case DIVIDE -> x / y;
      };
    }

    float apply(float x, float y) {
      return switch (this) {
        case ADD -> x + y;
        case SUBTRACT -> x - y;
        case MULTIPLY -> x * y;
        case DIVIDE -> x / y;
      };
    }
  }

  private SmallElementwise() {}

  /**
   * Computes {@code out = a op b} in Java when the case is covered (see the class comment) and
   * answers whether it did.
   */
  static boolean tryBinary(String libnd4jName, INDArray a, INDArray b, INDArray out) {
    if (!ENABLED) {
      return false;
    }
    long n = out.length();
    DataType type = out.dataType();
    if (n == 0 || n > MAX_ELEMENTS || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
      return false;
    }
    Op op = Op.named(libnd4jName);
    if (op == null
        || !covered(a, type, n)
        || !covered(b, type, n)
        || !Layouts.isDenseRowMajor(out)) {
      return false;
    }
    DataBuffer x = a.data();
    DataBuffer y = b.data();
    DataBuffer z = out.data();
    boolean xScalar = a.length() == 1;
    boolean yScalar = b.length() == 1;
    if (type == DataType.FLOAT) {
      for (long i = 0; i < n; i++) {
        z.put(i, op.apply(x.getFloat(xScalar ? 0 : i), y.getFloat(yScalar ? 0 : i)));
      }
    } else {
      for (long i = 0; i < n; i++) {
        z.put(i, op.apply(x.getDouble(xScalar ? 0 : i), y.getDouble(yScalar ? 0 : i)));
      }
    }
    return true;
  }

  /** An operand of the output's dtype, dense, with the output's element count or one element. */
  private static boolean covered(INDArray a, DataType type, long n) {
    return a.dataType() == type
        && (a.length() == n || a.length() == 1)
        && Layouts.isDenseRowMajor(a);
  }
}
