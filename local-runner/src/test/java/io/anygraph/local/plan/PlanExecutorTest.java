package io.anygraph.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one step sequence: the worker tasks are handed the split feeds (as the plan's stage names
 * them, with the global batch worked out from them) and their combined values reach the driver
 * stage; a plan with a worker stage needs tasks.
 */
class PlanExecutorTest {
  /** sum(2 * x) over a sharded x: an all-reduce boundary between the stages. */
  private record Doubled(Graph g, Tensor x, Tensor total) {}

  private static Doubled doubled() {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "x");
    }
    return new Doubled(g, x, x.mul(2).sum());
  }

  /** Rows {1, 2}, {3, 4}, ..., {13, 14}: 7 rows, split 4 + 3 over two shards. */
  private static INDArray sevenRows() {
    double[][] rows = new double[7][2];
    for (int i = 0; i < 7; i++) {
      rows[i] = new double[] {2 * i + 1, 2 * i + 2};
    }
    return Nd4j.createFromArray(rows);
  }

  @Test
  void theTasksGetTheSplitFeedsAndTheirCombinedValuesReachTheDriverStage() {
    Doubled d = doubled();
    Plan plan =
        new LocalRunner(d.g(), LocalOptions.cpus(2)).plan(List.of(d.total()), Set.of(d.x()));
    List<WorkerStageTasks.Feeds> seen = new ArrayList<>();
    WorkerStageTasks threads = new ShardThreads(plan);
    WorkerStageTasks recording =
        (feeds, state, devices) -> {
          seen.add(feeds);
          return threads.run(feeds, state, devices);
        };
    try (LogicalDevices devices = new LogicalDevices();
        RunState state = new RunState(d.g())) {
      List<INDArray> out =
          new PlanExecutor(plan).run(Map.of(d.x(), sevenRows()), state, devices, recording);
      assertEquals(2 * (1 + 14) * 14 / 2.0, out.get(0).getDouble(0), 0.0); // 2 * (1 + ... + 14)
    }
    assertEquals(1, seen.size());
    assertEquals(7, seen.get(0).globalBatch());
    assertEquals(plan.worker().shardAxes().keySet(), seen.get(0).sharded().keySet());
    assertTrue(seen.get(0).whole().isEmpty(), seen.get(0).whole().toString());
  }

  @Test
  void aPlanWithAWorkerStageNeedsTasks() {
    Doubled d = doubled();
    Plan plan =
        new LocalRunner(d.g(), LocalOptions.cpus(2)).plan(List.of(d.total()), Set.of(d.x()));
    try (LogicalDevices devices = new LogicalDevices();
        RunState state = new RunState(d.g())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new PlanExecutor(plan).run(Map.of(d.x(), sevenRows()), state, devices, null));
      assertTrue(e.getMessage().contains("worker stage"), e.getMessage());
    }
  }
}
