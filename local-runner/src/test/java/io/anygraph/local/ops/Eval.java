package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a tensor in a fresh session and compares results with expected plain-Java values. */
final class Eval {
  private Eval() {}

  static INDArray run(Tensor t) {
    return run(t, Map.of());
  }

  static INDArray run(Tensor t, Map<?, ?> feeds) {
    try (Session sess = new Session(t.graph())) {
      return sess.run(t, feeds);
    }
  }

  /** Asserts dtype, shape and every value (as doubles, within 1e-12 relative). */
  static void assertValues(DType dtype, long[] shape, double[] expected, INDArray actual) {
    assertEquals(dtype.nd4j(), actual.dataType(), "dtype");
    assertArrayEquals(shape, actual.shape(), "shape");
    double[] got = actual.castTo(DataType.DOUBLE).data().asDouble();
    assertEquals(expected.length, got.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "element " + i);
    }
  }

  /** Asserts an integer or bool result element by element. */
  static void assertLongs(DType dtype, long[] shape, long[] expected, INDArray actual) {
    assertEquals(dtype.nd4j(), actual.dataType(), "dtype");
    assertArrayEquals(shape, actual.shape(), "shape");
    long[] got = new long[(int) actual.length()];
    for (int i = 0; i < got.length; i++) {
      got[i] = dtype == DType.BOOL ? (actual.getDouble(i) != 0 ? 1 : 0) : actual.getLong(i);
    }
    assertArrayEquals(expected, got);
  }

  static INDArray doubles(long[] shape, double... values) {
    return Nd4j.createFromArray(values).reshape(shape);
  }
}
