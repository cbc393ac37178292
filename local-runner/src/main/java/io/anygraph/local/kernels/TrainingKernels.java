package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.Layouts;
import io.anygraph.core.Node;
import io.anygraph.local.kernels.Kernel.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Cos;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kernels of the ops optimizers and schedules build: summing a sparse gradient's repeated rows,
 * scatter updates of variables, cosine. Indices are checked before any native call.
 */
final class TrainingKernels {
  private TrainingKernels() {}

  static void register() {
    add("sumDuplicateRows", TrainingKernels::sumDuplicateRows);
    add("scatterSub", Output.BORROWED, c -> scatter(c, true));
    add("scatterUpdate", Output.BORROWED, c -> scatter(c, false));
    add("cos", c -> MathKernels.unary(c, Cos::new));
  }

  /**
   * Rows with each index once, ascending; repeated indices' rows summed in their given order, in
   * the rows' own precision for float32 and float64 (others through float64). Plain Java loops: an
   * ND4J view per row costs more than the row's arithmetic.
   */
  private static INDArray[] sumDuplicateRows(KernelContext c) {
    INDArray rows = c.in(0);
    int idxRank = c.in(1).rank();
    long[] idx = IndexingKernels.longs(c.in(1));
    long[] rowShape = Arrays.copyOfRange(rows.shape(), idxRank, rows.rank());
    if (!Arrays.equals(
        Arrays.copyOf(rows.shape(), idxRank), Arrays.copyOf(c.in(1).shape(), idxRank))) {
      throw c.fail(
          "rows "
              + Arrays.toString(rows.shape())
              + " do not start with the indices' shape "
              + Arrays.toString(c.in(1).shape()));
    }
    int width = (int) Arrays.stream(rowShape).reduce(1, (a, b) -> a * b);
    Map<Long, List<Integer>> byIndex = new TreeMap<>();
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0) {
        throw c.fail("index " + idx[i] + " at position " + i + " is negative");
      }
      byIndex.computeIfAbsent(idx[i], k -> new ArrayList<>()).add(i);
    }
    long[] outShape = new long[rowShape.length + 1];
    outShape[0] = byIndex.size();
    System.arraycopy(rowShape, 0, outShape, 1, rowShape.length);
    long[] unique = byIndex.keySet().stream().mapToLong(Long::longValue).toArray();
    if (byIndex.isEmpty() || width == 0) {
      return new INDArray[] {Nd4j.create(rows.dataType(), outShape), Nd4j.createFromArray(unique)};
    }
    INDArray summed;
    INDArray dense = Layouts.denseRowMajor(rows);
    if (rows.dataType() == DataType.FLOAT) {
      float[] in = dense.data().asFloat();
      float[] out = new float[unique.length * width];
      int k = 0;
      for (List<Integer> at : byIndex.values()) {
        System.arraycopy(in, at.get(0) * width, out, k * width, width);
        for (int j = 1; j < at.size(); j++) {
          for (int e = 0, from = at.get(j) * width; e < width; e++) {
            out[k * width + e] += in[from + e];
          }
        }
        k++;
      }
      summed = Nd4j.createFromArray(out);
    } else {
      double[] in = dense.data().asDouble();
      double[] out = new double[unique.length * width];
      int k = 0;
      for (List<Integer> at : byIndex.values()) {
        System.arraycopy(in, at.get(0) * width, out, k * width, width);
        for (int j = 1; j < at.size(); j++) {
          for (int e = 0, from = at.get(j) * width; e < width; e++) {
            out[k * width + e] += in[from + e];
          }
        }
        k++;
      }
      summed = Nd4j.createFromArray(out).castTo(rows.dataType());
    }
    return new INDArray[] {summed.reshape(outShape), Nd4j.createFromArray(unique)};
  }

  /**
   * The variable's rows {@code indices} minus (or replaced by) {@code rows}: written into the
   * variable's own array when nothing can see its old values ({@link
   * KernelContext#updateVariableInPlace}), so a step costs the touched rows, not a copy of the
   * whole [vocab, dim] table; else into a new array, so that values read earlier in the run stay as
   * they were.
   */
  private static INDArray[] scatter(KernelContext c, boolean subtract) {
    Node var = c.node().input(0).node();
    INDArray current = c.state().variables().readForRun(var);
    long vocab = current.size(0);
    long[] idx = IndexingKernels.longs(c.in(1));
    INDArray rows = c.in(2);
    long[] rowShape = Arrays.copyOfRange(current.shape(), 1, current.rank());
    if (rows.rank() != current.rank()
        || rows.size(0) != idx.length
        || !Arrays.equals(rowShape, Arrays.copyOfRange(rows.shape(), 1, rows.rank()))) {
      throw c.fail(
          "rows "
              + Arrays.toString(rows.shape())
              + " are not "
              + idx.length
              + " rows of variable '"
              + var.name()
              + "' "
              + Arrays.toString(current.shape()));
    }
    for (int i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= vocab) {
        throw c.fail(
            "index "
                + idx[i]
                + " at position "
                + i
                + " is outside the "
                + vocab
                + " rows [0, "
                + vocab
                + ") of variable '"
                + var.name()
                + "'");
      }
    }
    INDArray flat = Layouts.denseRowMajor(rows);
    INDArray updated = c.updateVariableInPlace(0, table -> writeRows(table, idx, flat, subtract));
    if (updated != null) {
      return one(updated);
    }
    INDArray value = current.dup('c');
    writeRows(value, idx, flat, subtract);
    c.state().variables().writeOwned(var, value);
    return one(value);
  }

  /** Table rows {@code idx} minus (or replaced by) the rows of {@code flat}, in place. */
  private static void writeRows(INDArray value, long[] idx, INDArray flat, boolean subtract) {
    long vocab = value.size(0);
    long width = value.length() / Math.max(1, vocab);
    if (idx.length == 0 || width == 0) {
      return;
    }
    // element access on the dense row-major table: no ND4J view per row
    DataBuffer table = value.data();
    if (value.dataType() == DataType.FLOAT) {
      float[] r = flat.data().asFloat();
      for (int i = 0; i < idx.length; i++) {
        for (long e = 0, at = idx[i] * width; e < width; e++, at++) {
          float x = r[(int) (i * width + e)];
          table.put(at, subtract ? table.getFloat(at) - x : x);
        }
      }
    } else {
      double[] r = flat.data().asDouble();
      for (int i = 0; i < idx.length; i++) {
        for (long e = 0, at = idx[i] * width; e < width; e++, at++) {
          double x = r[(int) (i * width + e)];
          table.put(at, subtract ? table.getDouble(at) - x : x);
        }
      }
    }
  }
}
