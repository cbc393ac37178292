package io.anygraph.board;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import io.anygraph.partition.Plan;
import io.anygraph.partition.Stage;
import io.anygraph.partition.device.DeviceGraph;
import io.anygraph.partition.device.Transfer;
import io.anygraph.partition.stage.Boundary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph drawn with a partitioner's plan: each node's stage (worker, driver, or both for values
 * recomputed where needed) and device, the stage boundaries (all-reduce, all-gather, pick replica)
 * and the transfers between devices, marked on the edges of the user's own graph.
 *
 * <pre>{@code
 * Plan plan = runner.plan(List.of(train, loss), Set.of(images, labels));
 * summaryWriter.addGraph(PlanViews.of(graph, plan));
 * }</pre>
 */
public final class PlanViews {
  private PlanViews() {}

  public static GraphView of(Graph source, Plan plan) {
    Map<String, NodeAnnotation> notes = new LinkedHashMap<>();
    List<Graph> workers = plan.workers().stream().map(Stage::graph).toList();
    Graph driver = plan.driver().graph();
    for (Node n : source.nodes()) {
      boolean onWorker = workers.stream().anyMatch(w -> w.hasNode(n.name()));
      boolean onDriver = driver.hasNode(n.name());
      if (onWorker || onDriver) {
        String stage = onWorker && onDriver ? "worker+driver" : onWorker ? "worker" : "driver";
        String device =
            onDriver ? plan.driver().placement().devices().get(n.name()) : Plan.REPLICA_DEVICE;
        notes.put(n.name(), new NodeAnnotation(device, stage));
      }
    }
    List<BoundaryMark> marks = new ArrayList<>();
    for (Boundary b : plan.boundaries()) {
      String from0 = sourceNode(source, node(workers.get(b.stage()), b.workerTensor()).name());
      Set<String> readers = new LinkedHashSet<>(); // the driver and later worker stages
      for (Graph reader : readingStages(plan, b)) {
        readers.addAll(consumers(reader, node(reader, b.driverTensor()), source));
      }
      for (String to : readers) {
        String from = from0;
        if (from.equals(to)) {
          from = firstInput(source, to); // a rewritten node (a mean): mark the edge into it
        }
        marks.add(
            new BoundaryMark(
                BoundaryMark.Kind.of(b.kind()),
                from,
                to,
                b.kind().label() + " of " + b.workerTensor()));
      }
    }
    for (DeviceGraph dg : plan.driver().devices()) {
      for (Transfer t : dg.received()) {
        Node recv =
            dg.graph().nodes().stream()
                .filter(
                    x -> x.op().equals(OpNames.RECV) && x.attrs().getString("key").equals(t.key()))
                .findFirst()
                .orElseThrow();
        String from =
            sourceNode(source, t.tensor().replaceFirst("^\\^", "").replaceFirst(":\\d+$", ""));
        for (String to : consumers(dg.graph(), recv, source)) {
          marks.add(
              new BoundaryMark(BoundaryMark.Kind.TRANSFER, from, to, t.from() + " → " + t.to()));
        }
      }
    }
    return GraphView.of(source, notes, marks);
  }

  /** The stage graphs that read a boundary's aggregated value. */
  private static List<Graph> readingStages(Plan plan, Boundary b) {
    List<Graph> out = new ArrayList<>();
    for (Stage w : plan.workers()) {
      if (w.feeds().contains(b.driverTensor())) {
        out.add(w.graph());
      }
    }
    if (plan.driver().graph().hasNode(b.driverTensor().replaceFirst(":\\d+$", ""))) {
      out.add(plan.driver().graph());
    }
    return out;
  }

  private static Node node(Graph g, String tensor) {
    return g.tensor(tensor).node();
  }

  /** Source nodes that read {@code n} in {@code g}, looking through the partitioner's own nodes. */
  private static Set<String> consumers(Graph g, Node n, Graph source) {
    Set<String> out = new LinkedHashSet<>();
    List<Node> frontier = List.of(n);
    for (int hops = 0; hops < 4 && out.isEmpty() && !frontier.isEmpty(); hops++) {
      List<Node> next = new ArrayList<>();
      for (Node c : g.nodes()) {
        boolean reads =
            c.inputs().stream().map(Tensor::node).anyMatch(frontier::contains)
                || c.controlInputs().stream().anyMatch(frontier::contains);
        if (reads) {
          if (source.hasNode(c.name())) {
            out.add(c.name());
          } else {
            next.add(c);
          }
        }
      }
      frontier = next;
    }
    return out;
  }

  /** The source node a partitioner node stands for: the name up to its first {@code /.} segment. */
  private static String sourceNode(Graph source, String name) {
    int dot = name.indexOf("/.");
    String base = dot < 0 ? name : name.substring(0, dot);
    if (!source.hasNode(base)) {
      throw new IllegalArgumentException("plan node '" + name + "' has no source node");
    }
    return base;
  }

  private static String firstInput(Graph source, String name) {
    Node n = source.node(name);
    return n.inputs().isEmpty() ? name : n.input(0).node().name();
  }
}
