package io.anygraph.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A plan drawn on the user's graph: stages and devices per node, boundaries on its edges. */
class PlanViewsTest {
  private static Map<String, GraphView.ViewNode> byName(GraphView v) {
    return v.nodes().stream().collect(Collectors.toMap(GraphView.ViewNode::name, n -> n));
  }

  @Test
  void aDataParallelStepShowsWorkerAndDriverStagesAndItsAllReduces() {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    }
    Variable w = g.variable(g.ops().ones(DType.FLOAT32, 3, 2), "w");
    Tensor loss = x.matmul(w).square().mean();
    Tensor train = new GradientDescent(0.1).minimize(loss);
    Plan plan = new LocalRunner(g, LocalOptions.cpus(2)).plan(List.of(train, loss), Set.of(x));
    GraphView view = PlanViews.of(g, plan);
    Map<String, GraphView.ViewNode> nodes = byName(view);
    assertEquals("worker", nodes.get("matmul").stage());
    assertEquals(Plan.REPLICA_DEVICE, nodes.get("matmul").device());
    assertEquals("driver", nodes.get("GradientDescent/assign").stage());
    assertEquals("cpu:0", nodes.get("GradientDescent/assign").device());
    assertEquals("worker+driver", nodes.get("w").stage(), "read by both stages");
    List<BoundaryMark> marks = view.boundaries();
    assertEquals(
        2,
        marks.stream().filter(b -> b.kind() == BoundaryMark.Kind.ALL_REDUCE).count(),
        marks.toString());
    assertTrue(
        marks.stream().anyMatch(b -> b.to().equals("reduceMean") && b.from().equals("square")),
        "the mean's partial sums are reduced on the edge into it: " + marks);
  }

  @Test
  void batchNormInLaterWorkerStagesIsWorkerWorkAndItsStatisticsAreAllReducedIntoIt() {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    }
    BatchNorm bn = new BatchNorm(g, "bn", DType.FLOAT32, Shape.of(3), new int[] {0});
    Tensor y = bn.apply(x, true);
    Tensor loss = y.square().sum();
    Plan plan = new LocalRunner(g, LocalOptions.cpus(2)).plan(List.of(loss), Set.of(x));
    GraphView view = PlanViews.of(g, plan);
    assertEquals("worker", byName(view).get(y.node().name()).stage());
    List<BoundaryMark> marks = view.boundaries();
    assertTrue(
        marks.stream()
            .anyMatch(
                m ->
                    m.kind() == BoundaryMark.Kind.ALL_REDUCE
                        && m.from().equals("x")
                        && m.to().equals("reduceMean")),
        "the batch mean's partial sums are all-reduced on the edge into it: " + marks);
    assertEquals(2, marks.size(), "the mean and the variance: " + marks);
    assertTrue(marks.stream().noneMatch(m -> m.kind() == BoundaryMark.Kind.ALL_GATHER));
  }

  @Test
  void aShardedOutputIsMarkedAsAnAllGatherInThePartitionersSpelling() {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    }
    Tensor h = x.exp();
    Tensor y = g.nn().softmax(h, 0); // along the batch: needs every shard's rows
    Plan plan = new LocalRunner(g, LocalOptions.cpus(2)).plan(List.of(y), Set.of(x));
    List<BoundaryMark> marks = PlanViews.of(g, plan).boundaries();
    assertEquals(1, marks.size(), marks.toString());
    assertEquals(BoundaryMark.Kind.ALL_GATHER, marks.get(0).kind());
    assertEquals(h.node().name(), marks.get(0).from());
    assertTrue(marks.get(0).label().startsWith("all-gather of "), marks.get(0).label());
  }

  @Test
  void aTransferBetweenDevicesIsMarkedOnItsEdge() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(3), "a");
    Tensor h;
    try (Scope s = g.device("cpu:1")) {
      h = a.exp();
    }
    Tensor out;
    try (Scope s = g.device("cpu:0")) {
      out = h.neg();
    }
    Plan plan = new LocalRunner(g, LocalOptions.cpus(2)).plan(List.of(out), Set.of(a));
    GraphView view = PlanViews.of(g, plan);
    assertEquals("cpu:1", byName(view).get("exp").device());
    List<BoundaryMark> marks = view.boundaries();
    assertEquals(1, marks.size(), marks.toString());
    assertEquals(
        new BoundaryMark(BoundaryMark.Kind.TRANSFER, "exp", "neg", "cpu:1 → cpu:0"), marks.get(0));
  }
}
