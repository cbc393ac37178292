package io.anygraph.partition;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.partition.device.DeviceGraph;
import io.anygraph.partition.device.Transfer;
import io.anygraph.partition.placement.CostModel;
import io.anygraph.partition.placement.Flops;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.partition.stage.Carry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints a {@link Plan} as a tree: stages, then per stage its devices, feeds, boundaries. */
final class PlanPrinter {
  private PlanPrinter() {}

  static String print(Plan p) {
    StringBuilder b = new StringBuilder();
    b.append("Plan: fetch ").append(String.join(", ", p.fetches())).append('\n');
    b.append("  devices: ").append(String.join(", ", p.cluster().devices())).append('\n');
    int n = 1;
    for (int k = 0; k < p.workers().size(); k++) {
      Stage w = p.workers().get(k);
      b.append("├─ Stage ")
          .append(n++)
          .append(": worker — sharded along the batch, one task per shard (")
          .append(String.join(" | ", p.replicas()))
          .append(")\n");
      b.append("│    ").append(summary(w.graph())).append('\n');
      b.append("│    inputs: ").append(inputs(p, w)).append('\n');
      carried(p, k, b);
      List<Node> vars =
          w.graph().nodes().stream().filter(x -> x.op().equals(OpNames.VARIABLE)).toList();
      if (!vars.isEmpty()) {
        b.append("│    broadcast to every task: ")
            .append(vars.size())
            .append(" variables, ")
            .append(bytes(vars.stream().mapToLong(v -> CostModel.bytes(v.output(0))).sum()))
            .append('\n');
      }
      int stage = k;
      List<Boundary> after = p.boundaries().stream().filter(x -> x.stage() == stage).toList();
      b.append("├─ Aggregation: ").append(aggregations(after)).append('\n');
      for (Boundary bd : after) {
        b.append("│    ")
            .append(bd.kind().label())
            .append(' ')
            .append(bd.workerTensor())
            .append(' ')
            .append(bd.type())
            .append(bd.kind() == Boundary.Kind.ALL_GATHER ? " along axis " + bd.axis() : "")
            .append(p.workers().size() > 1 ? readers(p, bd) : "")
            .append('\n');
      }
    }
    Stage d = p.driver();
    b.append("└─ Stage ")
        .append(n)
        .append(": driver — ")
        .append(
            p.workers().isEmpty() ? "the whole step" : "once per step, on the aggregated values")
        .append('\n');
    b.append("     ").append(summary(d.graph())).append('\n');
    List<String> updates =
        d.graph().nodes().stream()
            .filter(x -> OpRegistry.get(x.op()).refInputs() > 0) // assign, scatterSub, ...
            .map(x -> x.input(0).node().name())
            .distinct()
            .toList();
    if (!updates.isEmpty()) {
      b.append("     updates: ")
          .append(updates.size())
          .append(" variables (")
          .append(String.join(", ", updates.subList(0, Math.min(6, updates.size()))))
          .append(updates.size() > 6 ? ", ..." : "")
          .append(")\n");
    }
    for (DeviceGraph dg : d.devices()) {
      b.append("     device ")
          .append(dg.device())
          .append(": ")
          .append(summary(dg.graph()))
          .append('\n');
      for (Transfer t : dg.sent()) {
        b.append("       send ")
            .append(t.tensor())
            .append(" → ")
            .append(t.to())
            .append(" (")
            .append(bytes(t.bytes()))
            .append(")\n");
      }
    }
    for (String note : d.placement().notes()) {
      b.append("     note: ").append(note).append('\n');
    }
    return b.toString();
  }

  private static String inputs(Plan p, Stage s) {
    StringBuilder b = new StringBuilder();
    for (String f : s.feeds()) {
      Node n = s.graph().node(f.substring(0, f.lastIndexOf(':')));
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(f).append(' ').append(n.output(0));
      Integer axis = s.shardAxes().get(f); // worked out once, on the stage
      if (axis != null) {
        b.append(" sharded on axis ").append(axis);
      }
    }
    return b.toString();
  }

  /** The values each task keeps from earlier worker stages for stage {@code k}. */
  private static void carried(Plan p, int k, StringBuilder b) {
    List<Carry> kept = p.carries().stream().filter(c -> c.toStage() == k).toList();
    if (kept.isEmpty()) {
      return;
    }
    List<String> names =
        kept.stream().map(c -> c.tensor() + " (stage " + (c.fromStage() + 1) + ")").toList();
    b.append("│    kept on each task from earlier stages: ")
        .append(kept.size())
        .append(kept.size() == 1 ? " value (" : " values (")
        .append(String.join(", ", names.subList(0, Math.min(4, names.size()))))
        .append(names.size() > 4 ? ", ..." : "")
        .append(")\n");
  }

  /** Which stages read a boundary's value, in a plan of several worker stages. */
  private static String readers(Plan p, Boundary bd) {
    List<String> to = new ArrayList<>();
    for (int k = 0; k < p.workers().size(); k++) {
      if (p.workers().get(k).feeds().contains(bd.driverTensor())) {
        to.add("stage " + (k + 1));
      }
    }
    if (p.driver().feeds().contains(bd.driverTensor())) {
      to.add("driver");
    }
    return " → " + String.join(", ", to);
  }

  private static String aggregations(List<Boundary> bs) {
    Map<String, long[]> by = new TreeMap<>();
    for (Boundary bd : bs) {
      long[] c = by.computeIfAbsent(bd.kind().label(), k -> new long[2]);
      c[0]++;
      c[1] += CostModel.bytes(bd.type());
    }
    StringBuilder b = new StringBuilder();
    by.forEach(
        (k, c) ->
            b.append(b.length() > 0 ? ", " : "")
                .append(c[0])
                .append(" × ")
                .append(k)
                .append(" (")
                .append(bytes(c[1]))
                .append(')'));
    return b.length() == 0 ? "none" : b.toString();
  }

  private static String summary(Graph g) {
    StringBuilder b = new StringBuilder().append(g.size()).append(" nodes");
    long heavy = g.nodes().stream().filter(Flops::isProduct).count();
    if (heavy > 0) {
      b.append(" (").append(heavy).append(" matmul/conv)");
    }
    return b.toString();
  }

  private static String bytes(long n) {
    if (n < 10_000) {
      return n + " B";
    }
    return n < 10_000_000 ? String.format("%.1f kB", n / 1e3) : String.format("%.1f MB", n / 1e6);
  }
}
