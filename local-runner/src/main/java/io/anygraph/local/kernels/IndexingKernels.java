package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** argMax, oneHot, reverse. */
final class IndexingKernels {
  private IndexingKernels() {}

  static void register() {
    add("argMax", c -> {
      INDArray x = c.in(0);
      int axis = (int) c.attrs().getLong("axis");
      return one(Nd4j.argMax(x, axis < 0 ? axis + x.rank() : axis).castTo(DataType.LONG)
          .reshape(c.outputShape(0)));
    });
    add("oneHot", c -> {
      long[] idx = longs(c.in(0));
      long depth = c.attrs().getLong("depth");
      INDArray result = c.output(0);
      if (result.isEmpty()) {
        return one(result);
      }
      INDArray out = Buffers.zero(result).reshape(idx.length, depth);
      for (int i = 0; i < idx.length; i++) {
        if (idx[i] >= 0 && idx[i] < depth) {
          out.putScalar(i, idx[i], 1.0);
        } else if (c.attrs().getBool("strict", false)) {
          throw c.fail("index " + idx[i] + " at position " + i + " is outside [0, " + depth + ")");
        }
      }
      return one(result);
    });
    add("reverse", c -> {
      INDArray x = c.in(0);
      long[] axes = c.attrs().getLongs("axes");
      int[] dims = new int[axes.length == 0 ? x.rank() : axes.length];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = axes.length == 0 ? i : (int) (axes[i] < 0 ? axes[i] + x.rank() : axes[i]);
      }
      INDArray out = Nd4j.create(x.dataType(), x.shape());
      Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("reverse").addInputs(x.dup('c'))
          .addOutputs(out).addIntegerArguments(dims).build());
      return one(out);
    });
  }

  /**
   * The elements of an integer array in row-major order. A copy first: {@code data()} is the
   * whole underlying buffer, which for a view (a transpose, a slice) holds other elements or
   * another order.
   */
  static long[] longs(INDArray a) {
    return a.castTo(DataType.LONG).dup('c').data().asLong();
  }
}
