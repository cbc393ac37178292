package io.anygraph.local.plan;

import io.anygraph.core.Tensor;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import io.anygraph.partition.Stage;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a {@link Plan}, the one sequence every runner follows: the step's feeds named as the stage
 * graphs name them, the sharded ones and the global batch size picked out, the worker stages' tasks
 * run and their values combined at the boundaries, then the driver stage on the combined values.
 * Only the tasks differ between runners ({@link WorkerStageTasks}): by default this JVM's device
 * threads, one shard per replica, so the result equals the single-device run up to float rounding.
 *
 * <pre>{@code
 * PlanExecutor e = new PlanExecutor(Partitioner.plan(List.of(train, loss), Set.of(x, y), Cluster.cpus(2), true));
 * List<INDArray> out = e.run(Map.of(x, xs, y, ys), state, devices); // values of train, loss
 * }</pre>
 */
public final class PlanExecutor {
  private final Plan plan;
  private final StageRunner driver;
  private ShardThreads threads; // made on first local use: another runner's tasks never need it

  public PlanExecutor(Plan plan) {
    this.plan = plan;
    this.driver = new StageRunner(plan.driver());
  }

  public Plan plan() {
    return plan;
  }

  /** The fetches' values, in the plan's fetch order, with the worker tasks on device threads. */
  public List<INDArray> run(Map<Tensor, INDArray> feeds, RunState state, LogicalDevices devices) {
    return run(feeds, state, devices, plan.workers().isEmpty() ? null : threads());
  }

  /**
   * The fetches' values, in the plan's fetch order, with the worker stage's tasks run by {@code
   * tasks} (unused, and may be null, when the plan has no worker stage; a plan that has one refuses
   * null).
   */
  public List<INDArray> run(
      Map<Tensor, INDArray> feeds, RunState state, LogicalDevices devices, WorkerStageTasks tasks) {
    Map<String, INDArray> byName = new HashMap<>();
    feeds.forEach((t, v) -> byName.put(plan.feedNames().get(t.name()), v));
    if (!plan.workers().isEmpty()) {
      runWorkerStage(byName, state, devices, tasks);
    }
    long start = System.nanoTime();
    List<INDArray> out =
        tasks != null && tasks.runsDriverStage()
            ? tasks.driverStage(byName)
            : driver.run(byName, state, devices);
    if (tasks != null) {
      tasks.driverStageRan(System.nanoTime() - start);
    }
    return out;
  }

  /** Runs the worker tasks and puts the global batch and the boundaries' values among the feeds. */
  private void runWorkerStage(
      Map<String, INDArray> byName,
      RunState state,
      LogicalDevices devices,
      WorkerStageTasks tasks) {
    if (tasks == null) {
      throw new IllegalArgumentException(
          "The plan for "
              + plan.fetches()
              + " has a worker stage,"
              + " but no worker tasks were given to run it");
    }
    Map<String, Integer> axes = shardAxes(plan);
    Map<String, INDArray> whole = new HashMap<>();
    Map<String, INDArray> sharded = new LinkedHashMap<>();
    for (Stage w : plan.workers()) {
      for (String f : w.feeds()) {
        INDArray v = byName.get(f);
        if (v != null) {
          (axes.containsKey(f) ? sharded : whole).put(f, v);
        }
      }
    }
    long rows = tasks.boundBatch().orElseGet(() -> Shards.globalBatch(sharded, axes));
    List<INDArray> combined =
        tasks.run(new WorkerStageTasks.Feeds(whole, sharded, rows), state, devices);
    if (plan.globalBatch() != null) {
      byName.put(plan.globalBatch(), Nd4j.scalar(rows));
    }
    for (int i = 0; i < plan.boundaries().size(); i++) {
      byName.put(plan.boundaries().get(i).driverTensor(), combined.get(i));
    }
  }

  /** The feeds split across shards, with their axes, over all the plan's worker stages. */
  static Map<String, Integer> shardAxes(Plan plan) {
    Map<String, Integer> axes = new LinkedHashMap<>();
    plan.workers().forEach(w -> axes.putAll(w.shardAxes()));
    return axes;
  }

  private synchronized ShardThreads threads() {
    if (threads == null) {
      threads = new ShardThreads(plan);
    }
    return threads;
  }
}
