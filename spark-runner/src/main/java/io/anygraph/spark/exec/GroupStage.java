package io.anygraph.spark.exec;

import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.exchange.RingLayout;
import io.anygraph.spark.ship.ShippedGraph;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every task of a group of steps ({@link GroupTask}) needs to run one training step by itself:
 * the worker stage, the driver stage (the optimizer, replicated on each task), which driver-stage
 * placeholders the all-reduced boundaries and the global batch size feed, and the ring buffer's
 * layout. Made once per compiled step; the two stage graphs travel as broadcasts.
 *
 * @param driverOutputs the driver stage's outputs: the step's fetches, in order
 * @param driverFeeds the driver stage's placeholders
 * @param boundaryTensors per boundary of the plan, the driver-stage placeholder it feeds
 * @param globalBatch the placeholder of the global batch size, or null
 */
record GroupStage(
    Broadcast<WorkerStage> worker,
    Broadcast<ShippedGraph> driver,
    List<String> driverOutputs,
    List<String> driverFeeds,
    List<String> boundaryTensors,
    String globalBatch,
    RingLayout layout)
    implements Serializable {

  /** The group stage of a ring step: its worker stage's broadcast, the driver stage shipped. */
  static GroupStage of(JavaSparkContext sc, SparkStep step) {
    Plan plan = step.plan();
    return new GroupStage(
        step.shipped(),
        sc.broadcast(ShippedGraph.of(plan.driver().graph())),
        List.copyOf(plan.driver().outputs()),
        List.copyOf(plan.driver().feeds()),
        plan.boundaries().stream().map(Boundary::driverTensor).toList(),
        plan.globalBatch(),
        step.ring());
  }
}
