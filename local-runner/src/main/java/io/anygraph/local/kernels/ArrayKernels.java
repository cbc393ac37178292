package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import io.anygraph.core.NumericsException;
import io.anygraph.local.kernels.Kernel.Output;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reshapes, transposes, casts and broadcasts. Most return views of their input. */
final class ArrayKernels {
  private ArrayKernels() {}

  static void register() {
    add("identity", Output.VIEW_OF_INPUT, c -> one(c.in(0)));
    add("checkNumerics", Output.VIEW_OF_INPUT, c -> one(checkNumerics(c)));
    // the output shape comes from inference on the concrete input, so -1 is already resolved
    add("reshape", Output.VIEW_OF_INPUT, c -> one(c.in(0).reshape('c', c.outputShape(0))));
    add("reshapeLike", Output.VIEW_OF_INPUT, c -> one(c.in(0).reshape('c', c.in(1).shape())));
    add("expandDims", Output.VIEW_OF_INPUT, c -> one(c.in(0).reshape('c', c.outputShape(0))));
    add("squeeze", Output.VIEW_OF_INPUT, c -> one(c.in(0).reshape('c', c.outputShape(0))));
    add(
        "transpose",
        Output.VIEW_OF_INPUT,
        c -> {
          INDArray x = c.in(0);
          int[] perm = new int[x.rank()];
          if (c.attrs().has("perm")) {
            long[] p = c.attrs().getLongs("perm");
            for (int i = 0; i < p.length; i++) {
              perm[i] = (int) (p[i] < 0 ? p[i] + x.rank() : p[i]);
            }
          } else {
            Arrays.setAll(perm, i -> x.rank() - 1 - i);
          }
          return one(x.rank() < 2 ? x : x.permute(perm));
        });
    add(
        "cast",
        Output.VIEW_OF_INPUT,
        c -> {
          INDArray x = c.in(0);
          return one(
              x.dataType() == c.outputDType(0).nd4j() ? x : x.castTo(c.outputDType(0).nd4j()));
        });
    add(
        "broadcastLike",
        c -> {
          INDArray out = c.output(0);
          INDArray x = c.in(0);
          if (!out.isEmpty() && x.dataType() == out.dataType()) {
            // libnd4j's assign broadcasts its second input into the first's shape, straight into
            // the lent buffer (ND4J's broadcast would build a new array first)
            NativeCall.exec("assign", new INDArray[] {out, x}, out);
          } else if (!out.isEmpty()) { // ND4J's tile fails on an empty target: nothing to fill
            out.assign(broadcastTo(x, c.outputShape(0)));
          }
          return one(out);
        });
    add("onesLike", c -> one(filled(c.output(0), 1)));
    add("zerosLike", c -> one(Buffers.zero(c.output(0))));
  }

  /** The input, after failing if it holds NaN or infinity (legacy ops: no native context kept). */
  private static INDArray checkNumerics(KernelContext c) {
    INDArray x = c.in(0);
    if (!x.dataType().isFPType() || x.length() == 0) {
      return x;
    }
    boolean nan = x.isNaN().any();
    if (nan || x.isInfinite().any()) {
      String node = c.attrs().getString("node");
      long output = c.attrs().getLong("output");
      throw new NumericsException(
          node,
          "node '"
              + node
              + "' (op "
              + c.attrs().getString("op")
              + ") produced "
              + (nan ? "NaN" : "infinity")
              + " in its "
              + (output > 0 ? "output " + output + ", " : "output, ")
              + DType.fromNd4j(x.dataType()).label()
              + Arrays.toString(x.shape()));
    }
    return x;
  }

  private static INDArray filled(INDArray out, Number value) {
    if (out.length() <= SmallElementwise.MAX_ELEMENTS && Layouts.isDenseRowMajor(out)) {
      // a handful of elements: written from Java, without a native call's fixed cost
      DataBuffer d = out.data();
      for (long i = 0; i < out.length(); i++) {
        d.put(i, value.doubleValue());
      }
      return out;
    }
    return out.assign(value);
  }

  /** {@code x} broadcast (NumPy rules) to {@code shape}; may return x itself or a view. */
  static INDArray broadcastTo(INDArray x, long[] shape) {
    if (Arrays.equals(x.shape(), shape)) {
      return x;
    }
    long[] aligned = new long[shape.length];
    Arrays.fill(aligned, 1);
    System.arraycopy(x.shape(), 0, aligned, shape.length - x.rank(), x.rank());
    INDArray r = x.rank() == shape.length ? x : x.reshape(aligned);
    return r.broadcast(shape);
  }
}
