package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stride-0 (broadcast) arrays, the layout {@link io.anygraph.core.ArrayZoo} does not make, and an
 * exact, NaN-aware comparison that reads only dense row-major buffers. (Permuted and sliced arrays
 * of given values: {@link io.anygraph.core.ArrayZoo#permuted}, {@code #sliced}.)
 */
public final class StridedViews {
  private StridedViews() {}

  /**
   * An array of {@code shape} whose every index along axis 0 reads the same buffer (stride 0): the
   * values of {@code row} (shape {@code shape} without axis 0) repeated.
   */
  public static INDArray broadcast(INDArray row, long[] shape) {
    INDArray dense = Layouts.denseRowMajor(row).dup('c');
    long[] stride = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 1; d--) {
      stride[d] = s;
      s *= shape[d];
    }
    stride[0] = 0;
    DataBuffer buffer = dense.data();
    return Nd4j.create(buffer, shape, stride, 0, 'c', dense.dataType());
  }

  /**
   * Asserts {@code actual} is dense row-major ({@link Layouts#isDenseRowMajor}) and equals {@code
   * expected} exactly: same dtype, shape and bits, except that any NaN equals any NaN.
   */
  public static void assertSame(INDArray expected, INDArray actual, String what) {
    assertEquals(expected.dataType(), actual.dataType(), what + ": dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertTrue(
        Layouts.isDenseRowMajor(actual),
        what
            + ": fetched value is not dense row-major"
            + " (strides "
            + Arrays.toString(actual.stride())
            + ", offset "
            + actual.offset()
            + ")");
    if (expected.isEmpty()) {
      return;
    }
    byte[] want = bytes(Layouts.denseRowMajor(expected));
    byte[] got = bytes(actual);
    int width = expected.dataType().width();
    boolean floating = DType.fromNd4j(expected.dataType()).isFloating();
    for (int i = 0; i < want.length; i += width) {
      if (Arrays.equals(want, i, i + width, got, i, i + width)) {
        continue;
      }
      double w = expected.dup('c').getDouble(i / width);
      double g = actual.getDouble(i / width);
      if (floating && Double.isNaN(w) && Double.isNaN(g)) {
        continue;
      }
      fail(
          what
              + ": element "
              + i / width
              + " is "
              + g
              + ", expected "
              + w
              + "\nexpected "
              + expected
              + "\nactual "
              + actual);
    }
  }

  private static byte[] bytes(INDArray dense) {
    ByteBuffer nio = dense.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
    byte[] b = new byte[Math.toIntExact(dense.length() * dense.dataType().width())];
    nio.get(b);
    return b;
  }
}
