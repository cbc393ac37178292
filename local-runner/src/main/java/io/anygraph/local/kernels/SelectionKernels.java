package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * concat, slice, pad, gather and their gradient ops. Indices are checked before any native call.
 */
final class SelectionKernels {
  private SelectionKernels() {}

  static void register() {
    add(
        "concat",
        c -> {
          INDArray[] parts = new INDArray[c.node().inputs().size()];
          for (int i = 0; i < parts.length; i++) {
            parts[i] = c.in(i);
          }
          int axis = (int) c.attrs().getLong("axis");
          return one(Nd4j.concat(axis < 0 ? axis + parts[0].rank() : axis, parts));
        });
    add("slice", c -> one(copyOf(c, staticRegion(c, c.in(0).shape()))));
    add(
        "sliceGrad",
        c -> {
          INDArray out = Nd4j.zeros(c.in(1).dataType(), c.in(0).shape());
          if (!c.in(1).isEmpty()) { // ND4J's get() of an empty region fails
            out.get(staticRegion(c, c.in(0).shape())).assign(c.in(1));
          }
          return one(out);
        });
    add(
        "dynamicSlice",
        c ->
            one(
                copyOf(
                    c,
                    region(
                        c,
                        c.in(0).shape(),
                        IndexingKernels.longs(c.in(1)),
                        IndexingKernels.longs(c.in(2))))));
    add(
        "dynamicSliceGrad",
        c -> {
          INDArray dy = c.in(1);
          INDArray out = Nd4j.zeros(dy.dataType(), c.in(0).shape());
          if (dy.rank() != out.rank()) {
            throw c.fail("dy has rank " + dy.rank() + ", x has rank " + out.rank());
          }
          out.get(region(c, out.shape(), IndexingKernels.longs(c.in(2)), dy.shape())).assign(dy);
          return one(out);
        });
    add(
        "pad",
        c -> {
          INDArray x = c.in(0);
          double value = c.attrs().has("constantValue") ? c.attrs().getDouble("constantValue") : 0;
          INDArray out = Nd4j.valueArrayOf(c.outputShape(0), value, x.dataType());
          long[] paddings = c.attrs().getLongs("paddings");
          INDArrayIndex[] inner = new INDArrayIndex[x.rank()];
          for (int d = 0; d < inner.length; d++) {
            inner[d] = NDArrayIndex.interval(paddings[2 * d], paddings[2 * d] + x.size(d));
          }
          out.get(inner).assign(x);
          return one(out);
        });
    add(
        "gather",
        c -> {
          INDArray params = c.in(0);
          int[] rows = indices(c, c.in(1), params.size(0));
          INDArray flat =
              params.reshape(params.size(0), params.length() / Math.max(1, params.size(0)));
          INDArray picked =
              rows.length == 0
                  ? Nd4j.create(params.dataType(), 0, flat.size(1))
                  : Nd4j.pullRows(flat, 1, rows);
          return one(picked.reshape(c.outputShape(0)));
        });
    add(
        "scatterAdd",
        c -> {
          INDArray like = c.in(0);
          int[] rows = indices(c, c.in(1), like.size(0));
          long width = like.length() / Math.max(1, like.size(0));
          INDArray out = Nd4j.zeros(c.in(2).dataType(), like.size(0), width);
          INDArray dy = c.in(2).reshape(rows.length, width);
          for (int i = 0; i < rows.length; i++) {
            out.getRow(rows[i]).addi(dy.getRow(i));
          }
          return one(out.reshape(like.shape()));
        });
  }

  /** A row-major copy of a region of input 0. */
  private static INDArray copyOf(KernelContext c, INDArrayIndex[] region) {
    long[] shape = Arrays.stream(region).mapToLong(INDArrayIndex::length).toArray();
    // ND4J's get() of an empty region fails or returns a FLOAT array of the wrong shape
    return isEmpty(shape) ? Nd4j.create(c.in(0).dataType(), shape) : c.in(0).get(region).dup('c');
  }

  private static boolean isEmpty(long[] shape) {
    return Arrays.stream(shape).anyMatch(d -> d == 0);
  }

  private static INDArrayIndex[] staticRegion(KernelContext c, long[] shape) {
    return region(c, shape, c.attrs().getLongs("begin"), c.attrs().getLongs("size"));
  }

  /** The indices of {@code begin : begin + size} per axis (size -1: to the end), checked. */
  private static INDArrayIndex[] region(KernelContext c, long[] shape, long[] begin, long[] size) {
    if (begin.length != shape.length || size.length != shape.length) {
      throw c.fail(
          "begin "
              + Arrays.toString(begin)
              + " and size "
              + Arrays.toString(size)
              + " need one entry per axis of "
              + Arrays.toString(shape));
    }
    INDArrayIndex[] idx = new INDArrayIndex[shape.length];
    for (int d = 0; d < shape.length; d++) {
      long end = size[d] < 0 ? shape[d] : begin[d] + size[d];
      if (begin[d] < 0 || size[d] < -1 || begin[d] > shape[d] || end > shape[d]) {
        throw c.fail(
            "slice " + begin[d] + ".." + end + " is outside axis " + d + " of size " + shape[d]);
      }
      idx[d] = NDArrayIndex.interval(begin[d], end);
    }
    return idx;
  }

  private static int[] indices(KernelContext c, INDArray indices, long rows) {
    long[] idx = IndexingKernels.longs(indices);
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= rows) {
        throw c.fail(
            "index "
                + idx[i]
                + " at position "
                + i
                + " is outside [0, "
                + rows
                + "): params has "
                + rows
                + " rows (for an embedding lookup: the vocabulary size)");
      }
      out[i] = (int) idx[i];
    }
    return out;
  }
}
