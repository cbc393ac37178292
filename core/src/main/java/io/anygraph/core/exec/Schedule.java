package io.anygraph.core.exec;

import io.anygraph.core.FeedException;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Which nodes a run needs and in what order they run: the one definition that the local compiler
 * and the partitioner share, so a plan's devices run nodes in the order a single device would.
 */
public final class Schedule {
  private Schedule() {}

  /** Nodes whose outputs the fetches need, stopping at fed tensors and variable references. */
  public static Set<Node> needed(Collection<? extends Tensor> fetches, Set<Tensor> fed) {
    Set<Node> needed = new LinkedHashSet<>();
    Deque<Node> work = new ArrayDeque<>();
    for (Tensor t : fetches) {
      if (!fed.contains(t) && needed.add(t.node())) {
        work.push(t.node());
      }
    }
    while (!work.isEmpty()) {
      Node n = work.pop();
      for (Tensor in : valueInputs(n)) {
        if (!fed.contains(in) && needed.add(in.node())) {
          work.push(in.node());
        }
      }
      for (Node c : n.controlInputs()) {
        if (needed.add(c)) {
          work.push(c);
        }
      }
    }
    return needed;
  }

  /** Inputs read as values: all but the leading variable references of assign-like ops. */
  public static List<Tensor> valueInputs(Node n) {
    int refs = OpRegistry.get(n.op()).refInputs();
    return n.inputs().subList(Math.min(refs, n.inputs().size()), n.inputs().size());
  }

  /** Fails, naming them, if some needed placeholders are not fed. */
  public static void checkPlaceholders(Set<Node> needed, Collection<? extends Tensor> fetches) {
    List<String> missing =
        needed.stream()
            .filter(n -> n.op().equals(OpNames.PLACEHOLDER))
            .sorted(Comparator.comparingInt(Node::id))
            .map(n -> "'" + n.name() + "' (" + n.output(0) + ")")
            .toList();
    if (!missing.isEmpty()) {
      throw new FeedException(
          "Placeholder"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + " must be fed to compute "
              + fetches.stream().map(Tensor::name).toList());
    }
  }

  /**
   * A topological order of {@code needed} in which, among ready nodes, those that write variables
   * go last: every read of a variable that does not depend on a write happens before it (so
   * Theano-style updates see the old values). Otherwise graph order.
   */
  public static List<Node> order(Set<Node> needed, Set<Tensor> fed) {
    Map<Node, Integer> waiting = new HashMap<>();
    Map<Node, List<Node>> consumers = new HashMap<>();
    for (Node n : needed) {
      Set<Node> deps = new LinkedHashSet<>(n.controlInputs());
      for (Tensor in : valueInputs(n)) {
        if (!fed.contains(in)) {
          deps.add(in.node());
        }
      }
      deps.retainAll(needed);
      waiting.put(n, deps.size());
      for (Node d : deps) {
        consumers.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
      }
    }
    PriorityQueue<Node> ready =
        new PriorityQueue<>(
            Comparator.comparingInt((Node n) -> isWrite(n) ? 1 : 0).thenComparingInt(Node::id));
    waiting.forEach(
        (n, w) -> {
          if (w == 0) {
            ready.add(n);
          }
        });
    List<Node> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      Node n = ready.poll();
      order.add(n);
      for (Node c : consumers.getOrDefault(n, List.of())) {
        if (waiting.merge(c, -1, Integer::sum) == 0) {
          ready.add(c);
        }
      }
    }
    return order;
  }

  /** Ops that take a variable reference and change it (assign, assignAdd). */
  public static boolean isWrite(Node n) {
    return OpRegistry.get(n.op()).refInputs() > 0;
  }
}
