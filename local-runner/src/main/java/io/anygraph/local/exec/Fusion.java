package io.anygraph.local.exec;

import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.local.kernels.Kernel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nodes the compiler runs as one step: a fusion replaces a node by a {@link Step} and absorbs the
 * nodes it takes over, which then run nowhere else. Each fusion decides from the whole program's
 * order, its fetches and feeds that no one else sees what it absorbs.
 */
abstract class Fusion {
  /** The fused steps, by the node each replaces. */
  final Map<Node, Step> fused = new HashMap<>();

  /** Nodes that run inside some fused step. */
  final Set<Node> absorbed = new HashSet<>();

  /** Stand-ins for absorbed nodes' outputs, for readers of their shape alone ({@link #standIn}). */
  final Map<Tensor, Tensor> standIns = new HashMap<>();

  /** The fused form of {@code n}, or null when it runs as itself. */
  final Step of(Node n) {
    return fused.get(n);
  }

  /** Whether {@code n} runs inside another node's fused step, not on its own. */
  final boolean absorbed(Node n) {
    return absorbed.contains(n);
  }

  /**
   * What a node reads in place of {@code t}: t itself, or, where t's node was absorbed and the
   * reader needs only t's shape and dtype, a tensor of the fused step with the same.
   */
  final Tensor standIn(Tensor t) {
    return standIns.getOrDefault(t, t);
  }

  /**
   * What replaces a node: a kernel, a name for profiles, the tensors it reads (references first, as
   * the node has them), and how its output types follow from the concrete inputs when some static
   * shape is not fully known (null: the node's static types are concrete).
   */
  record Step(Kernel kernel, String label, List<Tensor> inputs, Types types) {}

  /** Output types from the concrete input values. */
  @FunctionalInterface
  interface Types {
    List<TensorType> of(INDArray[] in);
  }
}
