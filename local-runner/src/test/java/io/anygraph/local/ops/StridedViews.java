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
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Non-dense arrays holding given values, built the ways they reach kernels and serializers: a
 * permutation of a computed (non-view) buffer, which ND4J 1.0.0-M2.1 mislabels as ordering 'c'
 * and not a view; an interior slice (offset and gaps); a stride-0 broadcast. And an exact,
 * NaN-aware comparison that reads only dense row-major buffers.
 */
public final class StridedViews {
  private StridedViews() {}

  /** The permutation that swaps the last two axes (its own inverse). */
  public static int[] swapLastTwo(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = i;
    }
    p[rank - 2] = rank - 1;
    p[rank - 1] = rank - 2;
    return p;
  }

  /**
   * An array equal to {@code dense} that is a permutation of a fresh buffer holding the values
   * permuted the other way: the layout ND4J mislabels (strided unless one of the last two
   * dimensions is 1). Needs rank 2 or more.
   */
  public static INDArray permuted(INDArray dense) {
    int[] p = swapLastTwo(dense.rank());
    INDArray buffer = dense.permute(p).dup('c'); // a fresh, non-view buffer in permuted order
    return buffer.permute(p);
  }

  /** An array equal to {@code dense} that is the interior of a larger one (offset, gaps). */
  public static INDArray sliced(INDArray dense) {
    long[] shape = dense.shape();
    if (shape.length == 0) {
      INDArray holder = Nd4j.create(dense.dataType(), 3);
      holder.putScalar(1, dense.getDouble(0));
      return holder.get(NDArrayIndex.point(1)); // a scalar view at offset 1
    }
    long[] big = new long[shape.length];
    INDArrayIndex[] interior = new INDArrayIndex[shape.length];
    for (int d = 0; d < shape.length; d++) {
      big[d] = shape[d] + 2;
      interior[d] = NDArrayIndex.interval(1, shape[d] + 1);
    }
    INDArray holder = Nd4j.create(dense.dataType(), big);
    INDArray view = holder.get(interior);
    view.assign(dense);
    assertTrue(view.offset() > 0, "the sliced array must start at an offset");
    return view;
  }

  /**
   * An array of {@code shape} whose every index along axis 0 reads the same buffer (stride 0):
   * the values of {@code row} (shape {@code shape} without axis 0) repeated.
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
   * Asserts {@code actual} is dense row-major ({@link Layouts#isDenseRowMajor}) and equals
   * {@code expected} exactly: same dtype, shape and bits, except that any NaN equals any NaN.
   */
  public static void assertSame(INDArray expected, INDArray actual, String what) {
    assertEquals(expected.dataType(), actual.dataType(), what + ": dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertTrue(Layouts.isDenseRowMajor(actual), what + ": fetched value is not dense row-major"
        + " (strides " + Arrays.toString(actual.stride()) + ", offset " + actual.offset() + ")");
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
      fail(what + ": element " + i / width + " is " + g + ", expected " + w + "\nexpected "
          + expected + "\nactual " + actual);
    }
  }

  private static byte[] bytes(INDArray dense) {
    ByteBuffer nio = dense.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
    byte[] b = new byte[Math.toIntExact(dense.length() * dense.dataType().width())];
    nio.get(b);
    return b;
  }
}
