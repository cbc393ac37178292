package io.anygraph.partition.placement;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.common.PlanException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a device for every node of a stage graph, in this order: explicit device scopes;
 * colocation (a variable with its updates, {@code colocateWith}); kernel availability, falling back
 * to a CPU with a logged reason when a requested GPU is missing or lacks the op (soft placement);
 * then {@link CostModel} for the rest, which keeps tiny ops beside their inputs.
 */
public final class Placer {
  private static final System.Logger LOG = System.getLogger(Placer.class.getName());

  private Placer() {}

  public static Placement place(Graph g, Cluster cluster) {
    List<Node> nodes = g.nodes();
    Colocation coloc = new Colocation(g);
    Map<Node, List<Node>> groups = Colocation.groups(coloc, nodes);
    List<String> notes = new ArrayList<>();
    Map<Node, String> groupDevice = new HashMap<>();
    for (var e : groups.entrySet()) {
      String d = requested(e.getValue(), coloc, cluster, notes);
      if (d != null) {
        groupDevice.put(e.getKey(), d);
      }
    }
    Map<Node, String> placed = new HashMap<>();
    Map<String, String> byName = new LinkedHashMap<>();
    for (Node n : nodes) {
      Node root = coloc.root(n);
      String d = groupDevice.get(root);
      if (d == null) {
        d = CostModel.cheapest(n, candidates(groups.get(root), placed, cluster), placed);
        groupDevice.put(root, d);
      }
      placed.put(n, d);
      byName.put(n.name(), d);
    }
    notes.forEach(msg -> LOG.log(System.Logger.Level.INFO, msg));
    return new Placement(byName, notes);
  }

  /**
   * The device a group's members asked for, resolved against the cluster; null when none asked.
   * Members asking for different devices are an error naming the constraints that joined them.
   */
  private static String requested(
      List<Node> members, Colocation coloc, Cluster cluster, List<String> notes) {
    Map<String, Node> asked = new LinkedHashMap<>();
    for (Node n : members) {
      if (!n.device().isEmpty()) {
        asked.putIfAbsent(resolve(n, members, cluster, notes), n);
      }
    }
    if (asked.size() > 1) {
      List<String> who = new ArrayList<>();
      asked.forEach(
          (d, n) ->
              who.add(
                  "'"
                      + n.name()
                      + "' asks for "
                      + n.device()
                      + (d.equals(n.device()) ? "" : " (placed on " + d + ")")));
      throw new PlanException(
          "Colocation constraints conflict: "
              + String.join(", ", who)
              + ", but they must share a device because "
              + String.join(", and ", coloc.reasons(members.get(0))));
    }
    return asked.isEmpty() ? null : asked.keySet().iterator().next();
  }

  /** A requested device as the cluster can honour it. */
  private static String resolve(Node n, List<Node> group, Cluster cluster, List<String> notes) {
    String want = n.device();
    if (!cluster.has(want)) {
      if (want.startsWith("cpu:")) {
        throw new PlanException(
            "Node '"
                + n.name()
                + "' (op "
                + n.op()
                + ") asks for device "
                + want
                + ", which this runner does not have (devices: "
                + String.join(", ", cluster.devices())
                + ")");
      }
      String to = cluster.fallbackCpu();
      notes.add(
          "'"
              + n.name()
              + "' ("
              + n.op()
              + ") asked for "
              + want
              + ", which is not"
              + " available here (devices: "
              + String.join(", ", cluster.devices())
              + "): placed on "
              + to);
      return to;
    }
    for (Node m : group) {
      if (!cluster.kernels().has(m.op(), want)) {
        String to = cluster.fallbackCpu();
        notes.add(
            "'"
                + n.name()
                + "' ("
                + n.op()
                + ") asked for "
                + want
                + ", which has no kernel"
                + " for op '"
                + m.op()
                + "' of '"
                + m.name()
                + "': placed on "
                + to);
        return to;
      }
    }
    return want;
  }

  /** Devices worth considering: where the group's inputs are, and the default. */
  private static List<String> candidates(
      List<Node> group, Map<Node, String> placed, Cluster cluster) {
    Set<String> c = new LinkedHashSet<>();
    c.add(cluster.defaultDevice());
    for (Node m : group) {
      m.inputs()
          .forEach(
              t -> {
                if (placed.containsKey(t.node())) {
                  c.add(placed.get(t.node()));
                }
              });
    }
    c.removeIf(d -> group.stream().anyMatch(m -> !cluster.kernels().has(m.op(), d)));
    if (c.isEmpty()) {
      c.add(cluster.fallbackCpu());
    }
    return new ArrayList<>(c);
  }
}
