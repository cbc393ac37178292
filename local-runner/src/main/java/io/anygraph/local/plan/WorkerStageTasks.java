package io.anygraph.local.plan;

import io.anygraph.local.state.RunState;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a runner runs the tasks of a plan's worker stage, one per shard, and combines their partial
 * values with {@link Combine}: on this machine's device threads ({@link ShardThreads}) or as a
 * Spark job. Everything around it, from the step's feeds to the driver stage, is {@link
 * PlanExecutor}'s, the same for every runner (Spark's split between its DAG scheduler and its task
 * scheduler).
 */
public interface WorkerStageTasks {
  /**
   * What one step's tasks are given.
   *
   * @param whole worker placeholder → value every shard reads whole
   * @param sharded worker placeholder → value split into the shards along the stage's {@link
   *     io.anygraph.partition.Stage#shardAxes() axis} (empty when the tasks read bound data)
   * @param globalBatch rows of the step's batch, over all shards
   */
  record Feeds(Map<String, INDArray> whole, Map<String, INDArray> sharded, long globalBatch) {}

  /**
   * Runs the worker stages' tasks for one step, in order, and combines their values at the
   * boundaries: each boundary's value, in the plan's boundary order. Tasks that run one worker
   * stage only must refuse plans of several.
   */
  List<INDArray> run(Feeds feeds, RunState state, LogicalDevices devices);

  /**
   * The step's batch size when the tasks read the sharded inputs themselves (Spark's bound data);
   * empty when the sharded inputs are among the step's feeds.
   */
  default OptionalLong boundBatch() {
    return OptionalLong.empty();
  }

  /**
   * Whether these tasks also apply the driver stage themselves, where the values are (Spark's
   * sharded exchange, each task updating its slice of the parameters): then {@link #driverStage}
   * gives the fetches' values instead of the driver stage run here.
   */
  default boolean runsDriverStage() {
    return false;
  }

  /**
   * The driver stage's outputs, applied by the tasks, given the driver stage's feeds by placeholder
   * name (the run's feeds and the global batch; the boundaries' entries are those {@link #run}
   * returned). Only called when {@link #runsDriverStage} is true.
   */
  default List<INDArray> driverStage(Map<String, INDArray> feeds) {
    throw new UnsupportedOperationException("these worker tasks do not run the driver stage");
  }

  /** Told how long the driver stage took, for runners that report a step's time breakdown. */
  default void driverStageRan(long nanos) {}
}
