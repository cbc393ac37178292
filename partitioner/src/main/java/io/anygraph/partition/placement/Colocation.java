package io.anygraph.partition.placement;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.exec.Schedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups of nodes that must share a device: a variable with the ops that update it, and nodes
 * created under {@code g.colocateWith(t)} with t's node. Constraints chain (a with b, b with c), so
 * groups are the connected components, kept with the constraints that formed them for error
 * messages.
 */
final class Colocation {
  private final Map<Node, Node> parent = new HashMap<>();
  private final Map<Node, List<String>> why = new HashMap<>();

  Colocation(Graph g) {
    for (Node n : g.nodes()) {
      if (Schedule.isWrite(n)) {
        join(
            n,
            n.input(0).node(),
            "'" + n.name() + "' updates variable '" + n.input(0).node().name() + "'");
      }
      if (n.attrs().has(Graph.COLOCATE_WITH)
          && g.hasNode(n.attrs().getString(Graph.COLOCATE_WITH))) {
        Node target = g.node(n.attrs().getString(Graph.COLOCATE_WITH));
        join(n, target, "'" + n.name() + "' is colocated with '" + target.name() + "'");
      }
    }
  }

  Node root(Node n) {
    Node p = parent.getOrDefault(n, n);
    if (p == n) {
      return n;
    }
    Node r = root(p);
    parent.put(n, r);
    return r;
  }

  /** The constraints that joined the group of {@code n}. */
  List<String> reasons(Node n) {
    return why.getOrDefault(root(n), List.of());
  }

  /** Members of each group of more than one node, by root, in graph order. */
  static Map<Node, List<Node>> groups(Colocation c, List<Node> nodes) {
    Map<Node, List<Node>> out = new LinkedHashMap<>();
    for (Node n : nodes) {
      out.computeIfAbsent(c.root(n), k -> new ArrayList<>()).add(n);
    }
    return out;
  }

  private void join(Node a, Node b, String reason) {
    Node ra = root(a);
    Node rb = root(b);
    List<String> reasons = new ArrayList<>(why.getOrDefault(ra, List.of()));
    if (ra != rb) {
      reasons.addAll(why.getOrDefault(rb, List.of()));
      parent.put(rb, ra);
      why.remove(rb);
    }
    reasons.add(reason);
    why.put(ra, reasons);
  }
}
