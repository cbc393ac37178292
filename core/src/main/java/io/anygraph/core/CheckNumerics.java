package io.anygraph.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * TensorFlow's {@code add_check_numerics_ops}: a {@code checkNumerics} op after every
 * floating-point output that the given fetches compute, grouped into one tensor to fetch beside
 * them. A run that fetches it fails with a {@link NumericsException} at the first such output (in
 * execution order) that holds NaN or infinity, naming its node and op. Being ops, the checks run
 * wherever the graph runs: locally, on several devices, or in Spark's executors.
 *
 * <pre>{@code
 * Tensor checks = CheckNumerics.addTo(g, List.of(train, loss));
 * sess.run(List.of(train, loss, checks), feeds);   // throws NumericsException naming the node
 * }</pre>
 */
public final class CheckNumerics {
  /** The op that passes its input through and fails on NaN or infinity. */
  public static final String OP = "checkNumerics";

  private CheckNumerics() {}

  /**
   * Adds a check of every floating-point output that {@code fetches} depend on (nodes outside them
   * are left alone, so fetching the checks runs nothing the fetches would not) and returns one
   * tensor that runs them all.
   */
  public static Tensor addTo(Graph g, List<? extends Tensor> fetches) {
    List<Tensor> checks = new ArrayList<>();
    try (Scope s = g.nameScope("check_numerics")) {
      for (Node n : ancestors(fetches)) {
        for (int i = 0; i < n.outputs().size(); i++) {
          if (n.output(i).dtype().isFloating() && !n.op().equals(OP)) {
            checks.add(g.ops().checkNumerics(new Tensor(g, n, i)));
          }
        }
      }
      return g.ops().group(checks);
    }
  }

  /** The nodes the fetches depend on through data and control edges, in graph (creation) order. */
  private static List<Node> ancestors(List<? extends Tensor> fetches) {
    Set<Node> seen = new HashSet<>();
    Deque<Node> todo = new ArrayDeque<>();
    for (Tensor t : fetches) {
      todo.push(t.node());
    }
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (seen.add(n)) {
        n.inputs().forEach(t -> todo.push(t.node()));
        n.controlInputs().forEach(todo::push);
      }
    }
    List<Node> ordered = new ArrayList<>(seen);
    ordered.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return ordered;
  }
}
