package io.anygraph.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one rule for "may this array's buffer be read as raw row-major memory": its strides are the
 * C-order strides of its shape (dimensions of size 1 may have any stride), it starts at offset 0
 * and its buffer holds exactly its elements, so {@code data()} is the array.
 *
 * <p>Why not ND4J's own flags: in ND4J 1.0.0-M2.1 a permuted array of a non-view buffer (a {@code
 * transpose(0, 2, 1)} of a computed value) reports {@code ordering() == 'c'} and {@code isView() ==
 * false} with strides {@code [12, 1, 4]}; code that trusted them wrote or read such arrays in
 * memory order. Native ops are not affected (they read the strides); raw readers of {@code data()}
 * are, so every one of them goes through {@link #denseRowMajor}.
 */
public final class Layouts {
  private Layouts() {}

  /** Whether {@code a}'s buffer is exactly its elements in row-major order. */
  public static boolean isDenseRowMajor(INDArray a) {
    if (a.isEmpty()) {
      return true;
    }
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return a.offset() == 0 && a.data().length() == a.length();
  }

  /** {@code a} itself when it is dense row-major, else a dense row-major copy. */
  public static INDArray denseRowMajor(INDArray a) {
    if (isDenseRowMajor(a)) {
      return a;
    }
    INDArray copy = a.dup('c');
    if (!isDenseRowMajor(copy)) {
      throw new IllegalStateException(
          "ND4J's row-major copy of an array with shape "
              + Arrays.toString(a.shape())
              + " is not dense");
    }
    return copy;
  }
}
