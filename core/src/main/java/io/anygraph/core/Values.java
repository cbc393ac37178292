package io.anygraph.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small helpers that make ND4J arrays of a given Anygraph dtype. */
public final class Values {
  private Values() {}

  /** A scalar of {@code dtype}; integer dtypes require an integral value in range. */
  public static INDArray scalar(double value, DType dtype) {
    return switch (dtype) {
      case BOOL -> Nd4j.scalar(value != 0);
      // Nd4j.scalar(byte) and Nd4j.scalar(short) make int32 scalars in ND4J 1.0.0-M2.1
      case INT8, INT16 -> Nd4j.scalar(checkedInt(value, dtype)).castTo(dtype.nd4j());
      case INT32 -> Nd4j.scalar((int) checkedInt(value, dtype));
      case INT64 -> Nd4j.scalar(checkedInt(value, dtype));
      case FLOAT64 -> Nd4j.scalar(value);
      default -> Nd4j.scalar(value).castTo(dtype.nd4j());
    };
  }

  /** A scalar of {@code dtype} from an integral value (exact for all int64 values). */
  public static INDArray scalar(long value, DType dtype) {
    if (dtype.isInteger()) {
      if (value < dtype.minValue() || value > dtype.maxValue()) {
        throw new IllegalArgumentException(value + " is out of range for " + dtype);
      }
      return Nd4j.scalar(value).castTo(dtype.nd4j());
    }
    return scalar((double) value, dtype);
  }

  public static INDArray filled(double value, DType dtype, Shape shape) {
    INDArray a = Nd4j.create(dtype.nd4j(), shape.dims());
    if (dtype == DType.BOOL) {
      return value != 0 ? a.assign(true) : a;
    }
    return a.assign(value);
  }

  private static long checkedInt(double v, DType dtype) {
    if (v != Math.rint(v) || v < dtype.minValue() || v > dtype.maxValue()) {
      throw new IllegalArgumentException(v + " is not a value of " + dtype);
    }
    return (long) v;
  }
}
