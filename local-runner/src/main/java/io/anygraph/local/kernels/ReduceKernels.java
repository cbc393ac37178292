package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.Layouts;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reductions over axes on libnd4j's reduce ops, written into lent buffers; results keep the input's
 * dtype, as in TensorFlow.
 */
final class ReduceKernels {
  /** Columns a sum's GEMM should have at least (see {@link #sumOfLeadingAxes}). */
  private static final long MIN_COLUMNS = 64;

  private ReduceKernels() {}

  static void register() {
    add("reduceSum", c -> reduce(c, "reduce_sum"));
    add("reduceMean", c -> reduce(c, "reduce_mean"));
    add("reduceMax", c -> reduce(c, "reduce_max"));
    add(
        "reduceSumLike",
        c -> {
          sumLike(c, c.in(0), c.output(0));
          return one(c.output(0));
        });
  }

  /** {@code out = reduceSumLike(x, ·)}: x summed over the axes it has beyond out's shape. */
  static void sumLike(KernelContext c, INDArray x, INDArray out) {
    long[] target = out.shape();
    int offset = x.rank() - target.length;
    List<Integer> axes = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (i < offset || (target[i - offset] == 1 && x.size(i) != 1)) {
        axes.add(i);
      }
    }
    int[] over = axes.stream().mapToInt(Integer::intValue).toArray();
    INDArray v = sameAsValues(c, x);
    if (!sumOfLeadingAxes(c, v, over, out)) {
      into("reduce_sum", v, over, out);
    }
  }

  /**
   * x, or a dense copy of a view small enough for the Java sums ({@link ColumnSums}, {@link
   * RowReductions}): a view then sums to the same bits as its values.
   */
  private static INDArray sameAsValues(KernelContext c, INDArray x) {
    return x.length() <= ColumnSums.MAX_ELEMENTS ? c.dense(x) : x;
  }

  /**
   * A sum over the leading axes of a dense float array (a bias's gradient: over batch, height and
   * width): float32 in {@link ColumnSums}, float64 as one matrix-vector product, ones · X with X
   * the array as [outer, inner]: libnd4j's reduction walks such columns with a stride and took 0.74
   * ms for MNIST's [64, 28, 28, 8] → [8] where BLAS reads the array once (0.22 ms for ones ·
   * [50176, 8]; read as [6272, 64] and the 8 partial sums added after, 17 against 56 µs warm).
   * False, doing nothing, where it does not apply.
   */
  private static boolean sumOfLeadingAxes(KernelContext c, INDArray x, int[] axes, INDArray out) {
    DataType t = x.dataType();
    if ((t != DataType.FLOAT && t != DataType.DOUBLE)
        || axes.length == 0
        || axes.length >= x.rank()
        || x.isEmpty()
        || !Layouts.isDenseRowMajor(x)
        || !Layouts.isDenseRowMajor(out)) {
      return false;
    }
    long outer = 1;
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] != i) {
        return false;
      }
      outer *= x.size(i);
    }
    long inner = x.length() / outer;
    if (ColumnSums.tryRun(x, outer, inner, out)) {
      return true; // float32
    }
    // a few channels (a conv bias: 8) make a GEMM of 8 columns, a third as fast as one of 64: the
    // rows are read `fold` at a time as one wider row, and the fold's partial sums added after
    long fold = Math.max(1, Math.min(outer, (MIN_COLUMNS + inner - 1) / inner));
    while (outer % fold != 0) {
      fold--;
    }
    long columns = inner * fold;
    INDArray ones = c.scratch(t, 1, outer / fold).assign(1);
    INDArray partial = fold == 1 ? out.reshape('c', 1, inner) : c.scratch(t, 1, columns);
    Gemm.multiply(ones, x.reshape('c', outer / fold, columns), partial, false, false, 1.0, 0.0);
    if (fold > 1) {
      DataBuffer p = partial.data();
      DataBuffer o = out.data();
      for (long j = 0; j < inner; j++) {
        double sum = p.getDouble(j); // float32: each addition rounded to float, in order
        for (long k = 1; k < fold; k++) {
          sum =
              t == DataType.FLOAT
                  ? (float) sum + p.getFloat(k * inner + j)
                  : sum + p.getDouble(k * inner + j);
        }
        o.put(j, sum);
      }
    }
    return true;
  }

  /** Applies {@code op} over the node's axes into a buffer of the inferred shape and dtype. */
  private static INDArray[] reduce(KernelContext c, String op) {
    INDArray x = c.in(0);
    long[] axesAttr = c.attrs().has("axes") ? c.attrs().getLongs("axes") : new long[0];
    int[] axes = new int[axesAttr.length == 0 ? x.rank() : axesAttr.length];
    for (int i = 0; i < axes.length; i++) {
      axes[i] =
          axesAttr.length == 0 ? i : (int) (axesAttr[i] < 0 ? axesAttr[i] + x.rank() : axesAttr[i]);
    }
    if (op.equals("reduce_mean") && !x.dataType().isFPType() && axes.length > 0) {
      return one(integerMean(c, x, axes));
    }
    INDArray out = c.output(0);
    INDArray v = sameAsValues(c, x);
    if (!op.equals("reduce_sum") || !sumOfLeadingAxes(c, v, axes, out)) {
      into(op, v, axes, out);
    }
    return one(out);
  }

  /**
   * {@code op} of x over {@code axes} into {@code out}, a buffer of any shape with as many elements
   * as the reduced result (keepDims or not: the layout is the same).
   */
  static void into(String op, INDArray x, int[] axes, INDArray out) {
    if (out.isEmpty()) {
      return;
    }
    if (axes.length == 0) {
      out.assign(x);
      return;
    }
    if (x.isEmpty()) {
      // TensorFlow's values over nothing: sum 0, mean NaN, max -infinity
      out.assign(
          switch (op) {
            case "reduce_sum" -> 0.0;
            case "reduce_mean" -> Double.NaN;
            default -> Double.NEGATIVE_INFINITY;
          });
      return;
    }
    if (RowReductions.tryRun(op, x, axes, out)) {
      return;
    }
    long[] reduced = new long[x.rank() - axes.length];
    for (int d = 0, r = 0; d < x.rank(); d++) {
      boolean over = false;
      for (int a : axes) {
        over |= a == d;
      }
      if (!over) {
        reduced[r++] = x.size(d);
      }
    }
    long[] dims = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      dims[i] = axes[i];
    }
    NativeCall.execInts(op, new INDArray[] {x}, new INDArray[] {out.reshape('c', reduced)}, dims);
  }

  /** Integer means are exact: summed in int64 and divided with truncation, as TensorFlow does. */
  private static INDArray integerMean(KernelContext c, INDArray x, int[] axes) {
    long count = 1;
    for (int a : axes) {
      count *= x.size(a);
    }
    INDArray r = x.castTo(DataType.LONG).sum(axes).divi(count).reshape(c.outputShape(0));
    return r.dataType() == c.outputDType(0).nd4j() ? r : r.castTo(c.outputDType(0).nd4j());
  }
}
