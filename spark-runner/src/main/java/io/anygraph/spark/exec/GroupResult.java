package io.anygraph.spark.exec;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one task of a group of steps ({@link GroupTask}) sends back: its timings per step, and from
 * task 0 only (every task computed the same values) each step's fetches and the variables after the
 * group's last step.
 *
 * @param task the task's index (its partition)
 * @param computeNanos per step, the task's worker stage plus its copy of the driver stage
 * @param ringNanos per step, the task's time in the ring all-reduce (waiting for slower tasks too)
 * @param deserializeNanos the task's deserialization, as Spark measured it
 * @param fetches per step, the driver stage's outputs by name (task 0; empty for the others)
 * @param variables the driver stage's variables after the group, by name (task 0; else empty)
 */
public record GroupResult(
    int task,
    long[] computeNanos,
    long[] ringNanos,
    long deserializeNanos,
    List<Map<String, INDArray>> fetches,
    Map<String, INDArray> variables) {}
