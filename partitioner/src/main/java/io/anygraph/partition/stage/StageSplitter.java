package io.anygraph.partition.stage;

import io.anygraph.core.Attrs;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Schedule;
import io.anygraph.core.ops.OpNames;
import io.anygraph.partition.common.GraphCopy;
import io.anygraph.partition.sharding.ShardedGraph;
import io.anygraph.partition.sharding.Side;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cuts a sharded graph into stages at its boundaries, the one rule that decides where a stage ends
 * (as Spark cuts at shuffles): worker stage k holds the sharded work of level k ({@link
 * ShardedGraph#level}), the driver stage everything that needs gathered values or writes state.
 * Between worker stages only all-reduced aggregates travel; a task's own sharded values from an
 * earlier stage stay with it ({@link Carry}). Pure values of variables and constants, and pure
 * functions of all-reduced values, are computed in whichever stage needs them.
 */
public final class StageSplitter {
  private StageSplitter() {}

  public static StageGraphs split(ShardedGraph sg) {
    Graph g = sg.graph();
    int stages = sg.workerStages();
    List<List<Node>> roots = new ArrayList<>();
    List<List<String>> outputs = new ArrayList<>();
    for (int k = 0; k < stages; k++) {
      roots.add(new ArrayList<>());
      outputs.add(new ArrayList<>());
    }
    for (Node b : g.nodes()) {
      if (isCut(sg, b)) {
        Tensor in = b.input(0);
        int k = sg.level(in.node());
        roots.get(k).add(in.node());
        addOnce(outputs.get(k), in.name());
      }
    }
    for (Node t : driverTargets(sg)) {
      roots.get(sg.level(t)).add(t);
      addOnce(outputs.get(sg.level(t)), Tensor.name(t.name(), 0));
    }
    Map<Node, Boundary> boundaries = new LinkedHashMap<>();
    List<Carry> carries = new ArrayList<>();
    Graph[] workers = new Graph[stages];
    for (int k = stages - 1; k >= 0; k--) { // later stages first: they name what earlier ones keep
      workers[k] = workerGraph(sg, k, roots, outputs, boundaries, carries);
    }
    GraphCopy dc = new GraphCopy(g);
    List<Node> fetchNodes =
        sg.fetchNames().values().stream().map(g::tensor).map(Tensor::node).toList();
    Predicate<Node> onDriver = n -> sg.side(n) != Side.WORKER;
    for (Node n : closure(fetchNodes, onDriver, n -> isCut(sg, n), onDriver)) {
      if (isCut(sg, n)) {
        dc.placeholder(g.output(n, 0), n.name(), n.output(0), Attrs.empty());
        boundaries.computeIfAbsent(n, b -> boundary(sg, b));
      } else {
        List<Tensor> inputs = n.inputs().stream().filter(dc::has).toList();
        dc.copy(n, dc.get(inputs), n.attrs());
      }
    }
    List<Boundary> bs = new ArrayList<>(boundaries.values());
    bs.sort(
        Comparator.comparingInt(Boundary::stage)
            .thenComparingInt(b -> g.tensor(b.driverTensor()).node().id()));
    carries.sort(Comparator.comparingInt(Carry::toStage));
    List<String> driverFetches = List.copyOf(sg.fetchNames().values());
    return new StageGraphs(List.of(workers), outputs, bs, carries, dc.graph(), driverFetches);
  }

  /**
   * Worker stage {@code k}: what its roots need at its level, reading all-reduced aggregates of
   * earlier stages and the task's own earlier values through placeholders (recorded in {@code
   * boundaries} and {@code carries}, and added to the earlier stages' roots and outputs).
   */
  private static Graph workerGraph(
      ShardedGraph sg,
      int k,
      List<List<Node>> roots,
      List<List<String>> outputs,
      Map<Node, Boundary> boundaries,
      List<Carry> carries) {
    Graph g = sg.graph();
    Predicate<Node> earlier = n -> sg.side(n) == Side.WORKER && sg.level(n) < k && !isFeed(n);
    Predicate<Node> leaf = n -> isCut(sg, n) || earlier.test(n) || isFeed(n);
    Predicate<Node> inStage =
        n ->
            switch (sg.side(n)) {
              case ANY -> true;
              case WORKER -> sg.level(n) <= k;
              case DRIVER -> sg.level(n) >= 0 && sg.level(n) <= k;
            };
    List<Node> nodes = closure(roots.get(k), inStage, leaf, n -> inStage.test(n) && !leaf.test(n));
    Set<Tensor> read = new LinkedHashSet<>();
    nodes.forEach(n -> read.addAll(n.inputs()));
    GraphCopy wc = new GraphCopy(g);
    for (Node n : nodes) {
      if (isCut(sg, n)) {
        wc.placeholder(g.output(n, 0), n.name(), n.output(0), Attrs.empty());
        boundaries.computeIfAbsent(n, b -> boundary(sg, b));
      } else if (earlier.test(n)) {
        for (int i = 0; i < n.outputs().size(); i++) {
          Tensor t = g.output(n, i);
          if (read.contains(t)) {
            String name = n.name() + "/.carry" + (i > 0 ? "_" + i : "");
            Tensor p = wc.placeholder(t, name, n.output(i), Attrs.empty());
            int from = sg.level(n);
            carries.add(new Carry(t.name(), from, p.name(), k));
            roots.get(from).add(n);
            addOnce(outputs.get(from), t.name());
          }
        }
      } else {
        wc.copy(n);
      }
    }
    return wc.graph();
  }

  /** An aggregate of worker values: a boundary node whose input a worker stage computes. */
  private static boolean isCut(ShardedGraph sg, Node n) {
    return ShardedGraph.isBoundary(n) && sg.side(n.input(0).node()) == Side.WORKER;
  }

  private static boolean isFeed(Node n) {
    return n.op().equals(OpNames.PLACEHOLDER);
  }

  private static Boundary boundary(ShardedGraph sg, Node n) {
    return new Boundary(
        Boundary.Kind.ofOp(n.op()),
        n.input(0).name(),
        Tensor.name(n.name(), 0),
        (int) n.attrs().getLong("axis", -1),
        n.output(0),
        sg.level(n.input(0).node()));
  }

  /** Worker nodes that driver nodes wait for without reading their values (a group's inputs). */
  private static Set<Node> driverTargets(ShardedGraph sg) {
    Set<Node> targets = new LinkedHashSet<>();
    for (Node n : sg.graph().nodes()) {
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
    return targets;
  }

  private static void addOnce(List<String> list, String s) {
    if (!list.contains(s)) {
      list.add(s);
    }
  }

  /**
   * The nodes {@code roots} depend on through nodes that {@code inStage} accepts, in graph order; a
   * {@code leaf} is kept but not walked through, and control inputs are followed where {@code
   * control} accepts them (a worker stage ignores those on earlier stages: they have run).
   */
  private static List<Node> closure(
      List<Node> roots, Predicate<Node> inStage, Predicate<Node> leaf, Predicate<Node> control) {
    Set<Node> seen = new LinkedHashSet<>();
    Deque<Node> work = new ArrayDeque<>();
    for (Node r : roots) {
      if (seen.add(r)) {
        work.push(r);
      }
    }
    while (!work.isEmpty()) {
      Node n = work.pop();
      if (leaf.test(n) && !roots.contains(n)) {
        continue;
      }
      for (Node c : n.controlInputs()) {
        if (control.test(c) && seen.add(c)) {
          work.push(c);
        }
      }
      for (Tensor t : n.inputs()) {
        if (inStage.test(t.node()) && seen.add(t.node())) {
          work.push(t.node());
        }
      }
    }
    List<Node> order = new ArrayList<>(seen);
    order.sort(Comparator.comparingInt(Node::id));
    return order;
  }
}
