package io.anygraph.spark.exec;

import io.anygraph.partition.Plan;
import io.anygraph.partition.Stage;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.ship.ShippedGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plan's worker stage as it travels to executors (broadcast once per plan): the stage graph, what
 * it computes and is fed, which feeds are split along which axis, which columns of the training
 * blocks feed which placeholders, and how each boundary aggregates.
 *
 * @param columns placeholder tensor → {@code features} or {@code labels} of the bound blocks
 * @param boundaries for each boundary of the plan, in order: its kind and output index
 */
public record WorkerStage(
    ShippedGraph graph,
    List<String> outputs,
    List<String> feeds,
    Map<String, Integer> shardAxes,
    String globalBatch,
    Map<String, String> columns,
    List<Aggregation> boundaries) {

  /** How one boundary's values are combined: kind, index among the outputs, axis. */
  public record Aggregation(Boundary.Kind kind, int output, int axis) {}

  /** The worker stage of {@code plan}, with the placeholders bound to training blocks. */
  public static WorkerStage of(Plan plan, Map<String, String> columns) {
    if (plan.workers().size() != 1) {
      throw new IllegalArgumentException(
          "A Spark step runs one worker stage; the plan for "
              + plan.fetches()
              + " has "
              + plan.workers().size()
              + " (plan it with maxWorkerStages 1)");
    }
    Stage w = plan.worker();
    List<Aggregation> aggs = new ArrayList<>();
    for (Boundary b : plan.boundaries()) {
      aggs.add(new Aggregation(b.kind(), w.outputs().indexOf(b.workerTensor()), b.axis()));
    }
    return new WorkerStage(
        ShippedGraph.of(w.graph()),
        w.outputs(),
        w.feeds(),
        w.shardAxes(),
        plan.globalBatch(),
        columns,
        aggs);
  }

  /** The stage rebuilt on an executor from the shipped graph. */
  public Stage stage() {
    return Stage.onOneDevice(Stage.Kind.WORKER, graph.graph(), outputs, feeds, Plan.REPLICA_DEVICE);
  }

  /** A content key: the graph's hash and what the stage computes. */
  public String key() {
    return graph.sha256() + "|" + outputs + "|" + feeds;
  }
}
