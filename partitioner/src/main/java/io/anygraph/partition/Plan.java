package io.anygraph.partition;

import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.partition.stage.Carry;
import java.util.List;
import java.util.Map;

/**
 * How a runner executes one step (a set of fetches given a set of fed tensors): the sharded worker
 * stages that every shard's task runs in turn (none, one, or, where sharded values meet all-reduced
 * aggregates of sharded values as in batch normalization, several), the boundaries where the
 * shards' values are aggregated, and the driver stage, spread over devices. Runners only execute
 * plans; what the program means was fixed by the graph. {@link #explain()} prints it, as Spark's
 * EXPLAIN does.
 *
 * <p>A runner runs worker stage k on every shard, combines the boundaries of stage k (those with
 * {@link Boundary#stage()} k), and feeds them to the later stages that read them, each task also
 * keeping its own values that later stages read ({@link #carries()}); the driver stage runs last.
 *
 * @param fetches the run's fetches (source tensor names); the driver stage's outputs, in order, are
 *     their values
 * @param workers the sharded stages in the order they run; empty when no fed value is split
 * @param boundaries every boundary, by the worker stage that computes it, then in graph order
 * @param carries the values each task keeps from one worker stage to a later one
 * @param feedNames each fed source tensor → the placeholder that takes it in the stage graphs
 * @param globalBatch the placeholder of the global batch size, or null when none is needed
 */
public record Plan(
    List<String> fetches,
    List<Stage> workers,
    List<Boundary> boundaries,
    List<Carry> carries,
    Stage driver,
    Map<String, String> feedNames,
    String globalBatch,
    Cluster cluster) {

  /** The device name the worker stage's nodes carry: whichever device runs the shard's task. */
  public static final String REPLICA_DEVICE = "replica";

  public Plan {
    fetches = List.copyOf(fetches);
    workers = List.copyOf(workers);
    boundaries = List.copyOf(boundaries);
    carries = List.copyOf(carries);
    feedNames = Map.copyOf(feedNames);
  }

  /**
   * The first (in a single-stage plan, the only) worker stage, or null when no fed value is split.
   * A runner that runs only this stage must check that {@link #workers()} has one.
   */
  public Stage worker() {
    return workers.isEmpty() ? null : workers.get(0);
  }

  /** The devices that take one shard each. */
  public List<String> replicas() {
    return cluster.replicas();
  }

  /** True when the plan is one graph on one device: a runner may run the source graph directly. */
  public boolean isSingleDevice() {
    return workers.isEmpty() && driver.devices().size() == 1;
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
