package io.anygraph.local.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.OpContext;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.local.kernels.Kernel;
import io.anygraph.local.kernels.KernelContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A compiled instruction list: each step runs one kernel on values in numbered slots. Slots are
 * forgotten after their last use and buffers the program owns are closed then, so memory is
 * released during the run rather than at garbage collection.
 */
public final class Program {
  /** One instruction: a node's kernel, its input slots ({@code -1} for references) and outputs. */
  record Step(Node node, Kernel kernel, int[] inputs, int[] outputs, boolean checkShapes) {}

  /** Per step: slots to forget, and owned buffers (by root slot) to close. */
  record Lifetimes(int[][] forget, int[][] free) {}

  private final List<Step> steps;
  private final int slots;
  private final Map<Tensor, Integer> feedSlots;
  private final int[] fetchSlots;
  private final int[] roots;
  private final Lifetimes lifetimes;

  Program(List<Step> steps, int slots, Map<Tensor, Integer> feedSlots, int[] fetchSlots,
      int[] roots, Lifetimes lifetimes) {
    this.steps = steps;
    this.slots = slots;
    this.feedSlots = feedSlots;
    this.fetchSlots = fetchSlots;
    this.roots = roots;
    this.lifetimes = lifetimes;
  }

  public int size() {
    return steps.size();
  }

  /** Runs the program. Fetched values never share memory with variables, constants or feeds. */
  public List<INDArray> run(Map<Tensor, INDArray> feeds, RunState state) {
    INDArray[] values = new INDArray[slots];
    feedSlots.forEach((t, slot) -> values[slot] = feeds.get(t));
    for (int s = 0; s < steps.size(); s++) {
      Step step = steps.get(s);
      INDArray[] in = new INDArray[step.inputs().length];
      for (int i = 0; i < in.length; i++) {
        in[i] = step.inputs()[i] >= 0 ? values[step.inputs()[i]] : null;
      }
      List<TensorType> outTypes = step.checkShapes() ? inferConcrete(step.node(), in)
          : step.node().outputs();
      INDArray[] out = execute(step, in, outTypes, state);
      for (int i = 0; i < out.length; i++) {
        values[step.outputs()[i]] = out[i];
      }
      for (int root : lifetimes.free()[s]) {
        release(values[root]);
      }
      for (int slot : lifetimes.forget()[s]) {
        values[slot] = null;
      }
    }
    List<INDArray> result = new ArrayList<>(fetchSlots.length);
    for (int f : fetchSlots) {
      // values owned elsewhere (variables, constants, feeds) are copied so callers can't alter
      // them; views (transposes, broadcasts) are copied so callers get plain row-major arrays
      INDArray v = values[f];
      boolean plain = roots[f] >= 0 && !v.isView() && v.ordering() == 'c';
      result.add(plain ? v : v.dup('c'));
    }
    return result;
  }

  private static INDArray[] execute(Step step, INDArray[] in, List<TensorType> outTypes,
      RunState state) {
    Node n = step.node();
    INDArray[] out;
    try {
      out = step.kernel().compute(new KernelContext(n, in, outTypes, state));
    } catch (AnygraphException | ArithmeticException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new AnygraphException("Node '" + n.name() + "' (op " + n.op() + ") failed in ND4J: "
          + e.getMessage(), e);
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i].dataType() != outTypes.get(i).dtype().nd4j()) {
        throw new IllegalStateException("kernel of op '" + n.op() + "' returned "
            + out[i].dataType() + " for node '" + n.name() + "', declared " + outTypes.get(i));
      }
    }
    return out;
  }

  /** Re-runs the op's type rule on the concrete input types: one rule checks both times. */
  private static List<TensorType> inferConcrete(Node n, INDArray[] in) {
    List<TensorType> types = new ArrayList<>(in.length);
    for (int i = 0; i < in.length; i++) {
      types.add(in[i] == null ? n.input(i).type()
          : new TensorType(DType.fromNd4j(in[i].dataType()), Shape.of(in[i].shape())));
    }
    return OpRegistry.get(n.op()).infer(new OpContext(n.name(), n.op(), types, n.attrs(), List.of()));
  }

  private static void release(INDArray a) {
    if (a != null && a.closeable()) {
      a.close();
    }
  }
}
