package io.anygraph.partition.stage;

import io.anygraph.core.Attrs;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Schedule;
import io.anygraph.partition.common.GraphCopy;
import io.anygraph.partition.sharding.ShardedGraph;
import io.anygraph.partition.sharding.Side;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cuts a sharded graph into stages at its boundaries, the one rule that decides where a stage ends
 * (as Spark cuts at shuffles): the worker stage holds everything that depends on sharded data, the
 * driver stage everything that needs aggregated values or writes state. Pure values of variables
 * and constants are computed in whichever stage needs them.
 */
public final class StageSplitter {
  private StageSplitter() {}

  public static StageGraphs split(ShardedGraph sg) {
    Graph g = sg.graph();
    List<Node> boundaries =
        g.nodes().stream()
            .filter(ShardedGraph::isBoundary)
            .filter(b -> sg.side(b.input(0).node()) == Side.WORKER)
            .toList();
    // worker nodes that driver nodes wait for without reading their values
    Set<Node> targets = new LinkedHashSet<>();
    for (Node n : g.nodes()) {
      if (sg.side(n) != Side.DRIVER || ShardedGraph.isBoundary(n)) {
        continue;
      }
      for (Tensor in : Schedule.valueInputs(n)) {
        if (sg.side(in.node()) == Side.WORKER) {
          targets.add(in.node()); // inputs of a group: it needs them run, not their values
        }
      }
      for (Node c : n.controlInputs()) {
        if (sg.side(c) == Side.WORKER) {
          targets.add(c);
        }
      }
    }
    Graph worker = null;
    List<String> workerOutputs = new ArrayList<>();
    if (sg.hasWorkerStage()) {
      List<Node> roots = new ArrayList<>();
      for (Node b : boundaries) {
        roots.add(b.input(0).node());
        if (!workerOutputs.contains(b.input(0).name())) {
          workerOutputs.add(b.input(0).name());
        }
      }
      roots.addAll(targets);
      targets.forEach(t -> workerOutputs.add(Tensor.name(t.name(), 0)));
      GraphCopy wc = new GraphCopy(g);
      for (Node n : closure(roots, n -> sg.side(n) != Side.DRIVER)) {
        wc.copy(n);
      }
      worker = wc.graph();
    }
    GraphCopy dc = new GraphCopy(g);
    List<Node> fetchNodes =
        sg.fetchNames().values().stream().map(g::tensor).map(Tensor::node).toList();
    List<Boundary> bs = new ArrayList<>();
    for (Node n : closure(fetchNodes, n -> sg.side(n) != Side.WORKER)) {
      if (ShardedGraph.isBoundary(n) && sg.side(n.input(0).node()) == Side.WORKER) {
        Tensor out = g.output(n, 0);
        dc.placeholder(out, n.name(), n.output(0), Attrs.empty());
        bs.add(
            new Boundary(
                Boundary.Kind.ofOp(n.op()),
                n.input(0).name(),
                Tensor.name(n.name(), 0),
                (int) n.attrs().getLong("axis", -1),
                n.output(0)));
      } else {
        List<Tensor> inputs = n.inputs().stream().filter(dc::has).toList();
        dc.copy(n, dc.get(inputs), n.attrs());
      }
    }
    List<String> driverFetches = List.copyOf(sg.fetchNames().values());
    return new StageGraphs(worker, workerOutputs, bs, dc.graph(), driverFetches);
  }

  /**
   * The nodes {@code roots} depend on through nodes that {@code inStage} accepts (a boundary ends
   * the walk), in graph order.
   */
  private static List<Node> closure(List<Node> roots, Predicate<Node> inStage) {
    Set<Node> seen = new LinkedHashSet<>();
    Deque<Node> work = new ArrayDeque<>();
    for (Node r : roots) {
      if (seen.add(r)) {
        work.push(r);
      }
    }
    while (!work.isEmpty()) {
      Node n = work.pop();
      if (ShardedGraph.isBoundary(n) && !inStage.test(n.input(0).node())) {
        continue;
      }
      List<Node> deps = new ArrayList<>(n.controlInputs());
      n.inputs().forEach(t -> deps.add(t.node()));
      for (Node d : deps) {
        if (inStage.test(d) && seen.add(d)) {
          work.push(d);
        }
      }
    }
    List<Node> order = new ArrayList<>(seen);
    order.sort(Comparator.comparingInt(Node::id));
    return order;
  }
}
