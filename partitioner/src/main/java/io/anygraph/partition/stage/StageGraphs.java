package io.anygraph.partition.stage;

import io.anygraph.core.Graph;
import java.util.List;

/**
 * The graphs of a step: the sharded worker stage (null when nothing is sharded), the boundaries
 * between it and the driver, and the driver stage.
 *
 * @param workerOutputs tensors of the worker graph each task computes: the boundaries' inputs, then
 *     nodes that run only for their effects
 * @param driverFetches the driver graph's tensor for each fetch of the run, in order
 */
public record StageGraphs(
    Graph worker,
    List<String> workerOutputs,
    List<Boundary> boundaries,
    Graph driver,
    List<String> driverFetches) {}
