package io.anygraph.local.exec;

import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.local.kernels.Kernel;
import java.util.Collection;
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
   * Inputs that ops read only for their shape and dtype, by op: the gradient of an add with a
   * broadcast operand sums dy back to its operand's shape with {@code reduceSumLike(dy, operand)},
   * so a convolution's output has such a reader in every training graph.
   */
  private static final Map<String, Integer> SHAPE_ONLY_INPUT =
      Map.of(
          "reduceSumLike", 1,
          "broadcastLike", 1,
          "reshapeLike", 1,
          "zerosLike", 0,
          "onesLike", 0);

  /**
   * Who reads each tensor of a program: readers of its values (a fetch counts as two, so a fetched
   * tensor never has one reader), the first reader of its shape alone, and the nodes some node
   * waits on by a control edge.
   */
  static final class Readers {
    private final Map<Tensor, Integer> values = new HashMap<>();
    private final Map<Tensor, Integer> firstShapeReader = new HashMap<>();
    private final Map<Node, Integer> position = new HashMap<>();
    private final Set<Node> controlSources = new HashSet<>();

    Readers(List<Node> order, Collection<Tensor> fetches) {
      for (Node n : order) {
        position.put(n, position.size());
        for (int i = 0; i < n.inputs().size(); i++) {
          Tensor in = n.input(i);
          Integer shapeOnly = SHAPE_ONLY_INPUT.get(n.op());
          if (shapeOnly != null && shapeOnly == i) {
            firstShapeReader.merge(in, position.get(n), Math::min);
          } else {
            values.merge(in, 1, Integer::sum);
          }
        }
        controlSources.addAll(n.controlInputs());
      }
      fetches.forEach(t -> values.merge(t, 2, Integer::sum));
    }

    /** Whether {@code n} is in the program. */
    boolean inProgram(Node n) {
      return position.containsKey(n);
    }

    /**
     * Whether {@code reader} alone sees t: the one reader of its values, t not fetched, no control
     * edge from t's node, and any reader of t's shape alone runs after {@code reader} (it can then
     * read the fused step's output instead, given the same shape and dtype: {@link #standIns}).
     */
    /**
     * Whether t has exactly {@code count} readers of its values (the caller knows which), is not
     * fetched, and no node waits on t's node by a control edge.
     */
    boolean onlyReaders(Tensor t, int count) {
      return values.getOrDefault(t, 0) == count && !controlSources.contains(t.node());
    }

    boolean onlyReader(Tensor t, Node reader) {
      return values.getOrDefault(t, 0) == 1
          && !controlSources.contains(t.node())
          && firstShapeReader.getOrDefault(t, Integer.MAX_VALUE) > position.get(reader);
    }
  }

  /**
   * What replaces a node: a kernel, a name for profiles, the tensors it reads (references first, as
   * the node has them), how its output types follow from the concrete inputs when some static shape
   * is not fully known (null: the node's static types are concrete), and outputs of absorbed nodes
   * it writes too, after the node's own (their readers read them from this step).
   */
  record Step(
      Kernel kernel, String label, List<Tensor> inputs, Types types, List<Tensor> alsoWrites) {
    Step(Kernel kernel, String label, List<Tensor> inputs, Types types) {
      this(kernel, label, inputs, types, List.of());
    }
  }

  /** Output types from the concrete input values. */
  @FunctionalInterface
  interface Types {
    List<TensorType> of(INDArray[] in);
  }
}
