package io.anygraph.spark.exec;

import io.anygraph.core.Tensor;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.PlanExecutor;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A step of the Spark runner, compiled once per fetches and fed tensors: either it has a worker
 * stage and runs it as a Spark job ({@link SparkStep}), or it runs on the driver alone.
 */
sealed interface CompiledStep permits CompiledStep.OnDriver, SparkStep {
  Plan plan();

  /**
   * The fetches' values. {@code job} makes what a Spark job needs (broadcast variables, a step
   * number): only a step that runs one calls it.
   */
  List<INDArray> run(
      Map<Tensor, INDArray> feeds,
      RunState state,
      LogicalDevices devices,
      Function<SparkStep, StepRun> job);

  /** A step without sharded work: its plan run in the driver JVM. */
  record OnDriver(PlanExecutor executor) implements CompiledStep {
    @Override
    public Plan plan() {
      return executor.plan();
    }

    @Override
    public List<INDArray> run(
        Map<Tensor, INDArray> feeds,
        RunState state,
        LogicalDevices devices,
        Function<SparkStep, StepRun> job) {
      return executor.run(feeds, state, devices);
    }
  }
}
