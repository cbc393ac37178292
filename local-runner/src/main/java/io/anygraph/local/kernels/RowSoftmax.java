package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * softmax and log(softmax) along the last axis of a small float tensor, in Java: each row's
 * maximum, then {@code exp(x - max)} summed in double, so it stays finite for logits of any size.
 * libnd4j's way takes six native calls (maximum, subtract, exp, sum, log, subtract) and three
 * scratch buffers, ~55 µs for a classifier's [128, 10] logits, where this takes a few; results
 * agree with it to a float's rounding (they are the more accurate: one rounding at the end). Above
 * {@link #MAX_ELEMENTS} libnd4j's vectorized exp wins. {@code -Danygraph.smallKernels=false} turns
 * this off (to compare).
 */
final class RowSoftmax {
  /** Up to this many elements Java's loop beats the native calls. */
  static final int MAX_ELEMENTS = 1 << 14;

  private static final boolean ENABLED =
      !"false".equals(System.getProperty("anygraph.smallKernels"));

  private RowSoftmax() {}

  /**
   * {@code out = log(softmax(x))} (or softmax, without {@code log}) along {@code axis} when it is
   * the last, both dense row-major float32 or float64 of one shape and at most {@link
   * #MAX_ELEMENTS} elements; answers whether it did.
   */
  static boolean tryRun(INDArray x, int axis, INDArray out, boolean log) {
    DataType t = out.dataType();
    if (!ENABLED
        || (t != DataType.FLOAT && t != DataType.DOUBLE)
        || x.dataType() != t
        || x.rank() < 1
        || axis != x.rank() - 1
        || x.isEmpty()
        || x.length() > MAX_ELEMENTS
        || x.length() != out.length()
        || !Layouts.isDenseRowMajor(x)
        || !Layouts.isDenseRowMajor(out)) {
      return false;
    }
    int n = (int) x.length();
    int k = (int) x.size(axis);
    double[] row = new double[k];
    if (t == DataType.FLOAT) {
      FloatBuffer xs = x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
      FloatBuffer os = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
      for (int start = 0; start < n; start += k) {
        for (int j = 0; j < k; j++) {
          row[j] = xs.get(start + j);
        }
        normalize(row, log);
        for (int j = 0; j < k; j++) {
          os.put(start + j, (float) row[j]);
        }
      }
    } else {
      DoubleBuffer xs = x.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
      DoubleBuffer os = out.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
      for (int start = 0; start < n; start += k) {
        xs.get(start, row, 0, k);
        normalize(row, log);
        os.put(start, row, 0, k);
      }
    }
    return true;
  }

  /**
   * One row in place: {@code x - max - log(Σ exp(x - max))}, or {@code exp(x - max) / Σ exp(x -
   * max)}. A NaN, or an infinity that {@code x - max} turns into one, makes the row NaN, as in
   * libnd4j's way.
   */
  static void normalize(double[] row, boolean log) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v); // a NaN carries through
    }
    double sum = 0;
    for (int j = 0; j < row.length; j++) {
      row[j] -= max;
      sum += Math.exp(row[j]);
    }
    if (log) {
      double logSum = Math.log(sum);
      for (int j = 0; j < row.length; j++) {
        row[j] -= logSum;
      }
    } else {
      for (int j = 0; j < row.length; j++) {
        row[j] = Math.exp(row[j]) / sum;
      }
    }
  }
}
