package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reductions over axes on libnd4j's reduce ops, written into lent buffers; results keep the
 * input's dtype, as in TensorFlow.
 */
final class ReduceKernels {
  private ReduceKernels() {}

  static void register() {
    add("reduceSum", c -> reduce(c, "reduce_sum"));
    add("reduceMean", c -> reduce(c, "reduce_mean"));
    add("reduceMax", c -> reduce(c, "reduce_max"));
    add("reduceSumLike", c -> {
      INDArray x = c.in(0);
      long[] target = c.outputShape(0);
      int offset = x.rank() - target.length;
      List<Integer> axes = new ArrayList<>();
      for (int i = 0; i < x.rank(); i++) {
        if (i < offset || (target[i - offset] == 1 && x.size(i) != 1)) {
          axes.add(i);
        }
      }
      INDArray out = c.output(0);
      into("reduce_sum", x, axes.stream().mapToInt(Integer::intValue).toArray(), out);
      return one(out);
    });
  }

  /** Applies {@code op} over the node's axes into a buffer of the inferred shape and dtype. */
  private static INDArray[] reduce(KernelContext c, String op) {
    INDArray x = c.in(0);
    long[] axesAttr = c.attrs().has("axes") ? c.attrs().getLongs("axes") : new long[0];
    int[] axes = new int[axesAttr.length == 0 ? x.rank() : axesAttr.length];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = axesAttr.length == 0 ? i : (int) (axesAttr[i] < 0 ? axesAttr[i] + x.rank() : axesAttr[i]);
    }
    if (op.equals("reduce_mean") && !x.dataType().isFPType() && axes.length > 0) {
      return one(integerMean(c, x, axes));
    }
    INDArray out = c.output(0);
    into(op, x, axes, out);
    return one(out);
  }

  /**
   * {@code op} of x over {@code axes} into {@code out}, a buffer of any shape with as many
   * elements as the reduced result (keepDims or not: the layout is the same).
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
      out.assign(switch (op) {
        case "reduce_sum" -> 0.0;
        case "reduce_mean" -> Double.NaN;
        default -> Double.NEGATIVE_INFINITY;
      });
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
