package io.anygraph.spark.exec;

import io.anygraph.core.Tensor;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.state.RunState;
import io.anygraph.spark.exchange.Wire;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one run of a {@link SparkStep} needs from its runner.
 *
 * @param feeds the run's feeds by source tensor
 * @param data the bound training blocks the worker tasks read, or null when the sharded
 *     placeholders are among {@code feeds}
 * @param rows which rows of {@code data} form the batch (ignored without data)
 * @param vars the variables the worker stage reads, as broadcast for this version
 * @param step the run's number among the runner's worker jobs (names the job, seeds the shards)
 * @param state the driver's variables and random state
 * @param devices the driver's device threads
 * @param times where the step's time breakdown is added
 * @param bytes where the bytes the driver received are noted
 * @param slices the sharded exchange's slices between steps
 * @param wire how wide the worker tasks send their gradient sums ({@link ErrorFeedback})
 * @param runnerId the runner's id, unique in the application: keys the tasks' residuals
 */
record StepRun(
    JavaSparkContext sc,
    Map<Tensor, INDArray> feeds,
    ShardedData data,
    StepRows rows,
    Broadcast<VariableSnapshot> vars,
    long step,
    RunState state,
    LogicalDevices devices,
    StepTimes times,
    DriverBytes bytes,
    SliceHolder slices,
    Wire wire,
    String runnerId) {}
