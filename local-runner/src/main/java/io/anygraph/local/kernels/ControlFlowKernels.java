package io.anygraph.local.kernels;

import static io.anygraph.core.ops.ControlFlowOpDefs.BODY;
import static io.anygraph.core.ops.ControlFlowOpDefs.COND;
import static io.anygraph.core.ops.ControlFlowOpDefs.ELSE;
import static io.anygraph.core.ops.ControlFlowOpDefs.MAXIMUM_ITERATIONS;
import static io.anygraph.core.ops.ControlFlowOpDefs.REVERSE;
import static io.anygraph.core.ops.ControlFlowOpDefs.SEEDED;
import static io.anygraph.core.ops.ControlFlowOpDefs.THEN;
import static io.anygraph.local.kernels.KernelRegistry.add;

import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import io.anygraph.core.Shape;
import io.anygraph.core.Subgraph;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.ControlFlowOpDefs;
import io.anygraph.core.ops.ControlFlowOpDefs.Layout;
import io.anygraph.local.state.RunState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code cond} and {@code whileLoop}: they run their nested graphs through the executor ({@link
 * SubgraphRunner}), one compiled program per nested graph. A cond runs only the branch its
 * predicate picks. A loop keeps the per-step values (stacked outputs, the history of its loop
 * variables) only when some later step reads them.
 */
final class ControlFlowKernels {
  private ControlFlowKernels() {}

  static void register() {
    add(ControlFlowOpDefs.COND_OP, ControlFlowKernels::cond);
    add(ControlFlowOpDefs.WHILE_OP, ControlFlowKernels::whileLoop);
  }

  private static INDArray[] cond(KernelContext c) {
    int inputs = c.node().inputs().size();
    boolean seeded = c.attrs().getBool(SEEDED, false);
    long seed = seeded ? c.in(inputs - 1).getLong(0) : c.state().random(c.node()).nextLong();
    boolean pick = c.in(0).getDouble(0) != 0;
    Subgraph branch = c.attrs().getSubgraph(pick ? THEN : ELSE);
    List<INDArray> captures = new ArrayList<>();
    for (int i = 1; i < inputs - (seeded ? 1 : 0); i++) {
      captures.add(c.in(i));
    }
    List<INDArray> out;
    try (RunState step = c.state().loopStep(seed, 0)) {
      out = new ArrayList<>(SubgraphRunner.run(branch, captures, step));
    }
    out.add(Nd4j.scalar(seed));
    return out.toArray(INDArray[]::new);
  }

  private static INDArray[] whileLoop(KernelContext c) {
    int inputs = c.node().inputs().size();
    Layout l = Layout.of(c.attrs(), inputs);
    Subgraph body = c.attrs().getSubgraph(BODY);
    Subgraph cond = c.attrs().has(COND) ? c.attrs().getSubgraph(COND) : null;
    boolean reverse = c.attrs().getBool(REVERSE, false);
    long max = c.attrs().getLong(MAXIMUM_ITERATIONS, -1);
    long seed = l.seeded() ? c.in(inputs - 1).getLong(0) : c.state().random(c.node()).nextLong();

    List<INDArray> carries = new ArrayList<>();
    for (int i = 0; i < l.carries(); i++) {
      carries.add(c.in(i));
    }
    List<INDArray> captures = new ArrayList<>();
    for (int i = 0; i < l.captures(); i++) {
      captures.add(c.in(l.firstCapture() + i));
    }
    List<INDArray> seqs = new ArrayList<>();
    long length = -1;
    for (int i = 0; i < l.sequences(); i++) {
      INDArray s = Layouts.denseRowMajor(c.in(l.firstSequence() + i));
      if (length >= 0 && s.size(0) != length) {
        throw c.fail("sequences have different lengths (" + length + " and " + s.size(0) + ")");
      }
      length = s.size(0);
      seqs.add(s);
    }
    boolean keepHistory = false;
    for (int i = 0; i < l.carries(); i++) {
      keepHistory |= c.needed(l.firstHistory() + i);
    }
    List<List<INDArray>> history = lists(l.carries());
    List<List<INDArray>> stacked = lists(l.stacked());

    long steps = 0;
    while ((max < 0 || steps < max) && (length < 0 || steps < length)) {
      long position = reverse ? length - 1 - steps : steps;
      List<INDArray> args = new ArrayList<>(carries);
      for (INDArray s : seqs) {
        args.add(row(s, position));
      }
      args.addAll(captures);
      try (RunState step = c.state().loopStep(seed, position)) {
        if (cond != null && SubgraphRunner.run(cond, args, step).get(0).getDouble(0) == 0) {
          break;
        }
        if (keepHistory) {
          for (int i = 0; i < l.carries(); i++) {
            history.get(i).add(carries.get(i));
          }
        }
        List<INDArray> out = SubgraphRunner.run(body, args, step);
        carries = new ArrayList<>(out.subList(0, l.carries()));
        for (int i = 0; i < l.stacked(); i++) {
          stacked.get(i).add(out.get(l.carries() + i));
        }
      }
      steps++;
    }

    INDArray[] result = new INDArray[2 * l.carries() + l.stacked() + 2];
    for (int i = 0; i < l.carries(); i++) {
      // after no step the carries are the node's own inputs, which the executor may free
      result[i] = steps == 0 ? c.in(i).dup() : carries.get(i);
    }
    for (int i = 0; i < l.stacked(); i++) {
      int o = l.firstStacked() + i;
      result[o] = stack(c, o, stacked.get(i), reverse);
    }
    for (int i = 0; i < l.carries(); i++) {
      int o = l.firstHistory() + i;
      result[o] = stack(c, o, keepHistory ? history.get(i) : List.of(), reverse);
    }
    result[l.iterationsOutput()] = Nd4j.scalar(steps);
    result[l.seedOutput()] = Nd4j.scalar(seed);
    return result;
  }

  /** Row {@code p} of a dense row-major array, as a new array. */
  private static INDArray row(INDArray s, long p) {
    long[] shape = s.shape();
    long[] rest = Arrays.copyOfRange(shape, 1, shape.length);
    long size = 1;
    for (long d : rest) {
      size *= d;
    }
    INDArray out = Nd4j.create(s.dataType(), rest);
    if (size > 0) {
      out.reshape('c', new long[] {size})
          .assign(s.reshape('c', new long[] {shape[0], size}).getRow(p));
    }
    return out;
  }

  /** Per-step values along a new axis 0, in position order; empty when nothing was kept. */
  private static INDArray stack(
      KernelContext c, int output, List<INDArray> items, boolean reverse) {
    TensorType t = c.outputType(output);
    if (items.isEmpty()) {
      Shape s = t.shape();
      long[] d = s.hasRank() ? s.dims() : new long[] {0};
      d[0] = 0;
      for (int i = 1; i < d.length; i++) {
        d[i] = Math.max(d[i], 0);
      }
      return Nd4j.create(t.dtype().nd4j(), d);
    }
    List<INDArray> ordered = new ArrayList<>(items);
    if (reverse) {
      Collections.reverse(ordered);
    }
    long[] each = ordered.get(0).shape();
    long size = ordered.get(0).length();
    for (INDArray a : ordered) {
      if (!Arrays.equals(a.shape(), each)) {
        throw c.fail(
            "output "
                + output
                + " keeps one value per step, but its shape changes between steps: "
                + Arrays.toString(each)
                + " vs "
                + Arrays.toString(a.shape())
                + " (as "
                + DType.fromNd4j(a.dataType())
                + ")");
      }
    }
    long[] dims = new long[each.length + 1];
    dims[0] = ordered.size();
    System.arraycopy(each, 0, dims, 1, each.length);
    INDArray out = Nd4j.create(t.dtype().nd4j(), dims);
    if (size > 0) {
      INDArray rows = out.reshape('c', new long[] {ordered.size(), size});
      for (int i = 0; i < ordered.size(); i++) {
        rows.getRow(i)
            .assign(Layouts.denseRowMajor(ordered.get(i)).reshape('c', new long[] {size}));
      }
    }
    return out;
  }

  private static List<List<INDArray>> lists(int n) {
    List<List<INDArray>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(new ArrayList<>());
    }
    return l;
  }
}
