package io.anygraph.interop.tf;

import io.anygraph.core.DType;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A value known while importing: a small constant, or shape arithmetic on constants and static
 * shapes (TensorFlow's constant folding). Values are row-major; integers up to 2^53 are exact.
 */
record Folded(double[] values, long[] shape, DType dtype) {
  /** Constants up to this many elements are kept for folding. */
  static final int MAX_ELEMENTS = 4096;

  static Folded vector(DType dtype, long... values) {
    return new Folded(
        Arrays.stream(values).asDoubleStream().toArray(), new long[] {values.length}, dtype);
  }

  static Folded scalar(DType dtype, double value) {
    return new Folded(new double[] {value}, new long[0], dtype);
  }

  /** A constant's value, or null when it is too large to fold. */
  static Folded of(INDArray a) {
    if (a.length() > MAX_ELEMENTS) {
      return null;
    }
    double[] v =
        a.length() == 0
            ? new double[0]
            : a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    return new Folded(v, a.shape(), DType.fromNd4j(a.dataType()));
  }

  /** Whether some element is known only when run (NaN). */
  boolean isPartial() {
    return Arrays.stream(values).anyMatch(Double::isNaN);
  }

  int rank() {
    return shape.length;
  }

  long[] longs() {
    return Arrays.stream(values).mapToLong(d -> (long) d).toArray();
  }

  /** As an array for a graph constant. */
  INDArray array() {
    INDArray flat = Nd4j.createFromArray(values);
    INDArray shaped = shape.length == 0 ? Nd4j.scalar(values[0]) : flat.reshape(shape);
    return shaped.castTo(dtype.nd4j());
  }
}
