package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reductions over axes; results keep the input's dtype, as in TensorFlow. */
final class ReduceKernels {
  private ReduceKernels() {}

  static void register() {
    add("reduceSum", c -> reduce(c, (x, axes) -> x.sum(axes)));
    add("reduceMean", c -> reduce(c, ReduceKernels::mean));
    add("reduceMax", c -> reduce(c, (x, axes) -> x.max(axes)));
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
      INDArray summed = axes.isEmpty() ? x.dup() : x.sum(axes.stream().mapToInt(Integer::intValue).toArray());
      return one(summed.reshape(target));
    });
  }

  /** Integer means are exact: summed in int64 and divided with truncation, as TensorFlow does. */
  private static INDArray mean(INDArray x, int[] axes) {
    if (x.dataType().isFPType()) {
      return x.mean(axes);
    }
    long count = 1;
    for (int a : axes) {
      count *= x.size(a);
    }
    return x.castTo(DataType.LONG).sum(axes).divi(count);
  }

  /** Applies {@code f} over the node's axes, then shapes and types the result as inferred. */
  private static INDArray[] reduce(KernelContext c, BiFunction<INDArray, int[], INDArray> f) {
    INDArray x = c.in(0);
    long[] axesAttr = c.attrs().has("axes") ? c.attrs().getLongs("axes") : new long[0];
    int[] axes = new int[axesAttr.length == 0 ? x.rank() : axesAttr.length];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = axesAttr.length == 0 ? i : (int) (axesAttr[i] < 0 ? axesAttr[i] + x.rank() : axesAttr[i]);
    }
    INDArray r = axes.length == 0 ? x.dup() : f.apply(x, axes);
    r = r.reshape(c.outputShape(0));
    if (r.dataType() != c.outputDType(0).nd4j()) {
      r = r.castTo(c.outputDType(0).nd4j());
    }
    return one(r);
  }
}
