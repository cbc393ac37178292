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

  /** Rows with each index once, ascending; repeated indices' rows summed in their given order. */
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
    long width = Arrays.stream(rowShape).reduce(1, (a, b) -> a * b);
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
    INDArray out = Nd4j.create(rows.dataType(), byIndex.size(), width);
    long[] unique = new long[byIndex.size()];
    if (idx.length > 0 && width > 0) {
      INDArray flat = Layouts.denseRowMajor(rows).reshape(idx.length, width);
      int k = 0;
      for (Map.Entry<Long, List<Integer>> e : byIndex.entrySet()) {
        INDArray row = out.getRow(k);
        List<Integer> at = e.getValue();
        row.assign(flat.getRow(at.get(0)));
        for (int j = 1; j < at.size(); j++) {
          row.addi(flat.getRow(at.get(j)));
        }
        unique[k++] = e.getKey();
      }
    } else {
      unique = byIndex.keySet().stream().mapToLong(Long::longValue).toArray();
    }
    return new INDArray[] {out.reshape(outShape), Nd4j.createFromArray(unique)};
  }

  /**
   * The variable's rows {@code indices} minus (or replaced by) {@code rows}, stored as a new array
   * so that values read earlier in the run stay as they were.
   */
  private static INDArray[] scatter(KernelContext c, boolean subtract) {
    Node var = c.node().input(0).node();
    INDArray current = c.state().variables().read(var);
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
    INDArray value = current.dup('c');
    long width = value.length() / Math.max(1, vocab);
    if (idx.length > 0 && width > 0) {
      INDArray table = value.reshape(vocab, width);
      INDArray flat = Layouts.denseRowMajor(rows).reshape(idx.length, width);
      for (int i = 0; i < idx.length; i++) {
        INDArray row = table.getRow(idx[i]);
        if (subtract) {
          row.subi(flat.getRow(i));
        } else {
          row.assign(flat.getRow(i));
        }
      }
    }
    c.state().variables().write(var, value);
    return one(value);
  }
}
