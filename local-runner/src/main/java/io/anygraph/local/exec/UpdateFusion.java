package io.anygraph.local.exec;

import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Schedule;
import io.anygraph.core.ops.ControlFlowOpDefs;
import io.anygraph.core.ops.OpNames;
import io.anygraph.local.kernels.UpdateKernels;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds optimizer updates the compiler runs as one step, as TensorFlow's {@code
 * ApplyGradientDescent} does: {@code assign(v, sub(v, delta))} becomes {@code v -= delta} ({@link
 * UpdateKernels#ASSIGN_SUB}), and where {@code delta} is {@code mul(g, lr)} with a scalar {@code
 * lr} of float32 or float64, {@code v -= g·lr} ({@link UpdateKernels#APPLY_GRADIENT_DESCENT}).
 * Every graph's updates get it (every optimizer ends in such an assign), not one network's.
 *
 * <p>Fused only where it cannot change what the program computes: the {@code sub} (and {@code mul})
 * feed only the assign and are not fetched, static shapes match the variable's, the assign is the
 * program's one write of that variable, and the program runs no control flow (a loop body could
 * write the variable between the read and the assign). The fused kernel reads the variable's stored
 * array when it runs; with no other write in the program that is the array the {@code sub} would
 * have read. {@code -Danygraph.fuseUpdates=false} turns it off (to compare).
 */
final class UpdateFusion extends Fusion {
  static final boolean ENABLED = !"false".equals(System.getProperty("anygraph.fuseUpdates"));

  private UpdateFusion() {}

  /** The fusions in {@code order} (the program's nodes), none when {@code enabled} is false. */
  static UpdateFusion find(
      List<Node> order, Collection<Tensor> fetches, Set<Tensor> fed, boolean enabled) {
    UpdateFusion f = new UpdateFusion();
    if (!enabled || !ENABLED || order.stream().anyMatch(UpdateFusion::isControlFlow)) {
      return f;
    }
    Map<Tensor, Integer> readers = new HashMap<>();
    Map<Node, Integer> writes = new HashMap<>();
    Set<Node> controlSources = new HashSet<>();
    for (Node n : order) {
      for (Tensor in : n.inputs()) {
        readers.merge(in, 1, Integer::sum);
      }
      controlSources.addAll(n.controlInputs()); // another node waits for it: it must run
      if (Schedule.isWrite(n)) {
        writes.merge(n.input(0).node(), 1, Integer::sum);
      }
    }
    fetches.forEach(t -> readers.merge(t, 2, Integer::sum));
    Set<Node> program = new HashSet<>(order);
    for (Node assign : order) {
      if (!assign.op().equals("assign")) {
        continue;
      }
      Node var = assign.input(0).node();
      Tensor value = assign.input(1);
      Node sub = value.node();
      if (writes.getOrDefault(var, 0) != 1
          || fed.stream().anyMatch(t -> isRead(t, var))
          || !program.contains(sub)
          || !sub.op().equals("sub")
          || controlSources.contains(sub)
          || readers.getOrDefault(value, 0) != 1
          || !isRead(sub.input(0), var)
          || !sameTypeAsVariable(sub.input(1), var)
          || !sameTypeAsVariable(value, var)) {
        continue;
      }
      f.absorbed.add(sub);
      Tensor delta = sub.input(1);
      Node mul = delta.node();
      int scalarSide = mul.op().equals("mul") ? scalarOperand(mul, var) : -1;
      if (program.contains(mul)
          && scalarSide >= 0
          && readers.getOrDefault(delta, 0) == 1
          && !controlSources.contains(mul)) {
        f.absorbed.add(mul);
        Tensor g = mul.input(1 - scalarSide);
        Tensor lr = mul.input(scalarSide);
        f.fused.put(
            assign,
            new Step(
                UpdateKernels.APPLY_GRADIENT_DESCENT,
                "applyGradientDescent",
                List.of(assign.input(0), g, lr),
                null));
      } else {
        f.fused.put(
            assign,
            new Step(UpdateKernels.ASSIGN_SUB, "assignSub", List.of(assign.input(0), delta), null));
      }
    }
    return f;
  }

  /**
   * Which input of {@code mul} is a one-element float32/float64 learning rate, the other of the
   * variable's type; -1 if neither.
   */
  private static int scalarOperand(Node mul, Node var) {
    DType t = var.output(0).dtype();
    if (t != DType.FLOAT32 && t != DType.FLOAT64) {
      return -1;
    }
    for (int side = 1; side >= 0; side--) {
      Tensor s = mul.input(side);
      Tensor other = mul.input(1 - side);
      if (s.dtype() == t
          && s.shape().isFullyDefined()
          && s.shape().size() == 1
          && sameTypeAsVariable(other, var)) {
        return side;
      }
    }
    return -1;
  }

  /** Whether {@code t} is the value of variable node {@code var}. */
  private static boolean isRead(Tensor t, Node var) {
    return t.node().equals(var) && t.index() == 0;
  }

  private static boolean sameTypeAsVariable(Tensor t, Node var) {
    Shape v = var.output(0).shape();
    return t.dtype() == var.output(0).dtype()
        && t.dtype().isFloating()
        && v.isFullyDefined()
        && t.shape().isFullyDefined()
        && Arrays.equals(v.dims(), t.shape().dims());
  }

  /** Whether the program runs control flow or is a device subgraph of a plan: kept plain. */
  static boolean isControlFlow(Node n) {
    return n.op().equals(ControlFlowOpDefs.COND_OP)
        || n.op().equals(ControlFlowOpDefs.WHILE_OP)
        || n.op().equals(OpNames.RECV); // device subgraphs of a plan run side by side
  }
}
