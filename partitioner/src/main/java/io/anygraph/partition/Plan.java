package io.anygraph.partition;

import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.stage.Boundary;
import java.util.List;
import java.util.Map;

/**
 * How a runner executes one step (a set of fetches given a set of fed tensors): an optional sharded
 * worker stage that every shard's task runs, the boundaries where the shards' values are
 * aggregated, and the driver stage, spread over devices. Runners only execute plans; what the
 * program means was fixed by the graph. {@link #explain()} prints it, as Spark's EXPLAIN does.
 *
 * @param fetches the run's fetches (source tensor names); the driver stage's outputs, in order, are
 *     their values
 * @param worker the sharded stage, or null when no fed value is split
 * @param feedNames each fed source tensor → the placeholder that takes it in the stage graphs
 * @param globalBatch the placeholder of the global batch size, or null when none is needed
 */
public record Plan(
    List<String> fetches,
    Stage worker,
    List<Boundary> boundaries,
    Stage driver,
    Map<String, String> feedNames,
    String globalBatch,
    Cluster cluster) {

  /** The device name the worker stage's nodes carry: whichever device runs the shard's task. */
  public static final String REPLICA_DEVICE = "replica";

  public Plan {
    fetches = List.copyOf(fetches);
    boundaries = List.copyOf(boundaries);
    feedNames = Map.copyOf(feedNames);
  }

  /** The devices that take one shard each. */
  public List<String> replicas() {
    return cluster.replicas();
  }

  /** True when the plan is one graph on one device: a runner may run the source graph directly. */
  public boolean isSingleDevice() {
    return worker == null && driver.devices().size() == 1;
  }

  /** The plan as a readable tree of stages, devices, transfers and aggregations. */
  public String explain() {
    return PlanPrinter.print(this);
  }

  @Override
  public String toString() {
    return explain();
  }
}
