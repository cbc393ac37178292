package io.anygraph.partition.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.partition.Partitioner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.Stage;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.placement.CostModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Plans of several worker stages, on a training step of dense → batch norm → relu → dense → softmax
 * loss: batch normalization stays on the shards, only its per-feature statistics (and, in the
 * backward pass, the two per-feature sums of its gradient) are all-reduced between stages, and each
 * task keeps its own rows.
 */
class MultiStagePlanTest {
  private static final int FEATURES = 6;

  private final Graph g = new Graph();
  private final Tensor x;
  private final Tensor y;
  private final Tensor loss;
  private final Tensor train;
  private final Tensor normalized; // BN's output: (x - mean) / sqrt(var + eps) * gamma + beta

  MultiStagePlanTest() {
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "x");
      y = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "y");
    }
    Variable w1 = g.variable(g.ops().fill(DType.FLOAT32, Shape.of(4, FEATURES), 0.1), "w1");
    Variable w2 = g.variable(g.ops().fill(DType.FLOAT32, Shape.of(FEATURES, 3), 0.1), "w2");
    BatchNorm bn = new BatchNorm(g, "bn", DType.FLOAT32, Shape.of(FEATURES), new int[] {0});
    normalized = bn.apply(x.matmul(w1), true);
    Tensor logits = g.nn().relu(normalized).matmul(w2);
    loss = g.nn().softmaxCrossEntropyWithLogits(logits, y).mean();
    List<Tensor> step = new ArrayList<>(bn.updateOps());
    step.add(new GradientDescent(0.1).minimize(loss));
    train = g.ops().group(step);
  }

  private Plan plan(int maxWorkerStages) {
    return Partitioner.plan(
        List.of(train, loss), Set.of(x, y), Cluster.cpus(2), true, maxWorkerStages);
  }

  @Test
  void batchNormNormalizesAndScalesOnTheShardsInALaterWorkerStage() {
    Plan p = plan(Integer.MAX_VALUE);
    assertTrue(p.workers().size() > 2, p.explain());
    String name = normalized.node().name(); // the add of beta, after the scale by gamma
    String scaled = normalized.node().input(0).node().name();
    String divided = normalized.node().input(0).node().input(0).node().name();
    int in = -1;
    for (int k = 0; k < p.workers().size(); k++) {
      Graph w = p.workers().get(k).graph();
      if (w.hasNode(name)) {
        in = k;
        assertTrue(w.hasNode(scaled) && w.hasNode(divided), "normalize and scale in stage " + k);
      }
    }
    assertEquals(2, in, "after the stages of the mean and the variance");
    assertFalse(p.driver().graph().hasNode(name), "not on the driver");
    assertFalse(p.driver().graph().hasNode(divided), "not on the driver");
  }

  @Test
  void onlyPerFeatureSumsCrossBetweenWorkerStagesAndTasksKeepTheirRows() {
    Plan p = plan(Integer.MAX_VALUE);
    int last = p.workers().size() - 1;
    for (Boundary b : p.boundaries()) {
      assertEquals(Boundary.Kind.ALL_REDUCE, b.kind(), "nothing gathered: " + b);
      boolean readByWorkers =
          p.workers().stream().anyMatch(w -> w.feeds().contains(b.driverTensor()));
      if (readByWorkers) {
        assertTrue(b.stage() < last);
        // a per-feature statistic: FEATURES float32 values (a scalar count at most besides)
        assertTrue(
            CostModel.bytes(b.type()) <= FEATURES * 4L, b + " is " + CostModel.bytes(b.type()));
      }
    }
    assertTrue(
        p.boundaries().stream().filter(b -> b.stage() < last).count() >= 4,
        "mean and variance forward, two gradient sums backward: " + p.explain());
    for (Carry c : p.carries()) {
      assertTrue(c.fromStage() < c.toStage());
      Stage from = p.workers().get(c.fromStage());
      Stage to = p.workers().get(c.toStage());
      assertTrue(from.outputs().contains(c.tensor()), c + " is an output of its stage");
      assertTrue(to.feeds().contains(c.placeholder()), c + " is fed to its stage");
      assertFalse(to.shardAxes().containsKey(c.placeholder()), "the task's own value: not split");
    }
    assertFalse(p.carries().isEmpty(), "x - mean stays on each task for the next stage");
    String explain = p.explain();
    for (int k = 1; k <= p.workers().size() + 1; k++) {
      assertTrue(explain.contains("Stage " + k + ": "), explain);
    }
    assertTrue(explain.contains("→ stage 2") && explain.contains("kept on each task"), explain);
    assertFalse(explain.contains("all-gather"), explain);
  }

  @Test
  void theFallbackOfOneWorkerStageGathersTheRowsForBatchNormalization() {
    Plan p = plan(1);
    assertEquals(1, p.workers().size());
    assertTrue(p.carries().isEmpty());
    assertTrue(p.boundaries().stream().allMatch(b -> b.stage() == 0));
    assertTrue(p.driver().graph().hasNode(normalized.node().name()));
    assertTrue(p.explain().contains("all-gather"), p.explain());
    assertFalse(p.explain().contains("→"), "a single-stage plan prints as before");
  }

  @Test
  void aStepWithoutBatchStatisticsKeepsItsSingleStagePlan() {
    Tensor rows = g.nn().relu(x.matmul(g.ops().fill(DType.FLOAT32, Shape.of(4, 2), 1.0)));
    Tensor total = rows.sum(0);
    Plan many = Partitioner.plan(List.of(total), Set.of(x), Cluster.cpus(2), true);
    Plan one = Partitioner.plan(List.of(total), Set.of(x), Cluster.cpus(2), true, 1);
    assertEquals(1, many.workers().size());
    assertEquals(one.explain(), many.explain());
    assertEquals(one.boundaries(), many.boundaries());
  }
}
