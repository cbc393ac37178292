package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.binary;
import static io.anygraph.local.kernels.MathKernels.one;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.factory.Nd4j;

/** Broadcasting comparisons (bool results) and select. */
final class CompareKernels {
  private CompareKernels() {}

  static void register() {
    add("greater", c -> binary(c, "greater"));
    add("greaterEqual", c -> binary(c, "greater_equal"));
    add("less", c -> binary(c, "less"));
    add("lessEqual", c -> binary(c, "less_equal"));
    add("equal", c -> binary(c, "equals"));
    add("notEqual", c -> binary(c, "not_equals"));
    add("select", CompareKernels::select);
  }

  private static INDArray[] select(KernelContext c) {
    long[] shape = c.outputShape(0);
    INDArray cond = c.in(0);
    INDArray a = c.in(1);
    INDArray b = c.in(2);
    DataType bits = bitsOf(a.dataType());
    if (bits != null
        && Arrays.equals(cond.shape(), shape)
        && Arrays.equals(a.shape(), shape)
        && Arrays.equals(b.shape(), shape)) {
      return one(bitwiseSelect(c, cond, a, b, bits));
    }
    INDArray[] in = {
      ArrayKernels.broadcastTo(cond, shape),
      ArrayKernels.broadcastTo(a, shape),
      ArrayKernels.broadcastTo(b, shape)
    };
    INDArray out = c.output(0);
    if (!out.isEmpty()) {
      NativeCall.exec("select", in, out);
    }
    return one(out);
  }

  /** The integer type of the same width, for selecting by bit masks; null for bool. */
  private static DataType bitsOf(DataType t) {
    return switch (t) {
      case FLOAT, INT, UINT32 -> DataType.INT;
      case DOUBLE, LONG, UINT64 -> DataType.LONG;
      case HALF, BFLOAT16, SHORT, UINT16 -> DataType.SHORT;
      case BYTE, UBYTE -> DataType.BYTE;
      default -> null;
    };
  }

  /**
   * {@code b ^ ((a ^ b) & -cond)} on the values' bits: exact for every value (NaN, infinities,
   * signed zeros) and some 30 times faster than libnd4j's select, which reads element by element.
   */
  private static INDArray bitwiseSelect(
      KernelContext c, INDArray cond, INDArray a, INDArray b, DataType bits) {
    long[] shape = a.shape();
    INDArray out = c.output(0);
    if (out.isEmpty()) {
      return out;
    }
    INDArray aBits = asBits(c, a, bits);
    INDArray bBits = asBits(c, b, bits);
    INDArray mask = c.scratch(bits, shape);
    mask.assign(cond); // 1 or 0
    Nd4j.getExecutioner().exec(new Negative(mask, mask)); // all ones or 0
    INDArray t = c.scratch(bits, shape);
    NativeCall.exec("bitwise_xor", new INDArray[] {aBits, bBits}, t);
    NativeCall.exec("bitwise_and", new INDArray[] {t, mask}, t);
    if (bits == a.dataType()) {
      NativeCall.exec("bitwise_xor", new INDArray[] {t, bBits}, out);
    } else {
      NativeCall.exec("bitwise_xor", new INDArray[] {t, bBits}, t);
      NativeCall.execInts(
          "bitcast", new INDArray[] {t}, new INDArray[] {out}, a.dataType().toInt());
    }
    return out;
  }

  /** x's bits as integers; bitcast reads the raw buffer, so a strided x is made dense first. */
  private static INDArray asBits(KernelContext c, INDArray x, DataType bits) {
    if (x.dataType() == bits) {
      return x;
    }
    INDArray plain = c.dense(x);
    INDArray r = c.scratch(bits, x.shape());
    NativeCall.execInts("bitcast", new INDArray[] {plain}, new INDArray[] {r}, bits.toInt());
    return r;
  }
}
