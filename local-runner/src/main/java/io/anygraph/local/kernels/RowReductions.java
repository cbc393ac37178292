package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sums and means of a small float tensor over its last axes (all of them included: a loss's mean)
 * in Java, summed in double and rounded once: libnd4j's reduction took 11-22 µs a call in a
 * training step for a [128] loss or [128, 10] logits, where the arithmetic is a few hundred
 * additions. Up to {@link RowSoftmax#MAX_ELEMENTS} elements; {@code -Danygraph.smallKernels=false}
 * turns this off with the other small kernels.
 */
final class RowReductions {
  private static final boolean ENABLED =
      !"false".equals(System.getProperty("anygraph.smallKernels"));

  private RowReductions() {}

  /**
   * {@code out = op(x)} over {@code axes} ("reduce_sum" or "reduce_mean") when x is a dense float32
   * or float64 array of at most {@link RowSoftmax#MAX_ELEMENTS} elements and the axes are its last
   * ones; answers whether it did.
   */
  static boolean tryRun(String op, INDArray x, int[] axes, INDArray out) {
    DataType t = x.dataType();
    boolean mean = op.equals("reduce_mean");
    if (!ENABLED
        || (!mean && !op.equals("reduce_sum"))
        || (t != DataType.FLOAT && t != DataType.DOUBLE)
        || out.dataType() != t
        || x.isEmpty()
        || x.length() > RowSoftmax.MAX_ELEMENTS
        || !lastAxes(axes, x.rank())
        || !Layouts.isDenseRowMajor(x)
        || !Layouts.isDenseRowMajor(out)) {
      return false;
    }
    int inner = 1;
    for (int a : axes) {
      inner *= (int) x.size(a);
    }
    int rows = (int) (x.length() / inner);
    if (out.length() != rows) {
      return false;
    }
    DoubleView xs = new DoubleView(x);
    DoubleView os = new DoubleView(out);
    for (int r = 0, at = 0; r < rows; r++) {
      double sum = 0;
      for (int j = 0; j < inner; j++) {
        sum += xs.get(at++);
      }
      os.put(r, mean ? sum / inner : sum);
    }
    return true;
  }

  /** Whether {@code axes} (distinct, non-negative) are exactly the last {@code axes.length}. */
  private static boolean lastAxes(int[] axes, int rank) {
    boolean[] seen = new boolean[rank];
    for (int a : axes) {
      if (a < rank - axes.length || a >= rank || seen[a]) {
        return false;
      }
      seen[a] = true;
    }
    return axes.length > 0;
  }
}
