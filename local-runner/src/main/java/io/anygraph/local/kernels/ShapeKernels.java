package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.local.kernels.Kernel.Output;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Ops that read only their input's shape, and ops on shapes held as int64 vectors. */
final class ShapeKernels {
  private ShapeKernels() {}

  static void register() {
    add(
        "size",
        c -> {
          long[] shape = c.in(0).shape();
          long n = 1;
          if (c.attrs().has("axes")) {
            for (long a : c.attrs().getLongs("axes")) {
              n *= shape[(int) (a < 0 ? a + shape.length : a)];
            }
          } else {
            for (long d : shape) {
              n *= d;
            }
          }
          INDArray out = c.output(0); // a lent scalar: no native allocation each step
          out.data().put(0, n);
          return one(out);
        });
    add("shape", c -> one(vector(c.in(0).shape())));
    add(
        "reducedShape",
        c -> {
          long[] shape = IndexingKernels.longs(c.in(0));
          for (long a : c.attrs().getLongs("axes")) {
            long axis = a < 0 ? a + shape.length : a;
            if (axis < 0 || axis >= shape.length) {
              throw c.fail("axis " + a + " is out of range for rank " + shape.length);
            }
            shape[(int) axis] = 1;
          }
          return one(vector(shape));
        });
    add(
        "concatOffset",
        c -> {
          int last = c.node().inputs().size() - 1;
          long[] offset = new long[(int) c.in(last).length()];
          long a = c.attrs().getLong("axis");
          int axis = (int) (a < 0 ? a + offset.length : a);
          if (axis < 0 || axis >= offset.length) {
            throw c.fail("axis " + a + " is out of range for rank " + offset.length);
          }
          for (int i = 0; i < last; i++) {
            long[] shape = IndexingKernels.longs(c.in(i));
            if (shape.length != offset.length) {
              throw c.fail(
                  "shapes of ranks "
                      + shape.length
                      + " and "
                      + offset.length
                      + " cannot be concatenated");
            }
            offset[axis] += shape[axis];
          }
          return one(vector(offset));
        });
    add(
        "reshapeTo",
        Output.VIEW_OF_INPUT,
        c -> {
          INDArray x = c.in(0);
          long[] target = resolved(c, x.length(), IndexingKernels.longs(c.in(1)));
          return one(x.reshape('c', target));
        });
  }

  /** An int64 vector, empty for a scalar's shape. */
  static INDArray vector(long[] values) {
    return values.length == 0 ? Nd4j.create(DataType.LONG, 0) : Nd4j.createFromArray(values);
  }

  /** The target shape with its one -1 inferred; fails unless it holds exactly {@code length}. */
  private static long[] resolved(KernelContext c, long length, long[] target) {
    long known = 1;
    int unknownAt = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1 && unknownAt < 0) {
        unknownAt = i;
      } else if (target[i] < 0) {
        throw c.fail("invalid target shape " + Arrays.toString(target));
      } else {
        known *= target[i];
      }
    }
    long[] out = target.clone();
    if (unknownAt >= 0 && known != 0 && length % known == 0) {
      out[unknownAt] = length / known;
    } else if (unknownAt >= 0 || known != length) {
      throw c.fail("cannot reshape " + length + " elements to " + Arrays.toString(target));
    }
    return out;
  }
}
