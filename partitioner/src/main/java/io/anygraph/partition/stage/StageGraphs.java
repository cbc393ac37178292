package io.anygraph.partition.stage;

import io.anygraph.core.Graph;
import java.util.List;

/**
 * The graphs of a step: the sharded worker stages in order (none when nothing is sharded), the
 * boundaries after them, the values tasks keep between them, and the driver stage.
 *
 * @param workers the worker stage graphs, in the order they run
 * @param workerOutputs for each worker stage, the tensors each task computes: its boundaries'
 *     inputs, then nodes that run only for their effects, then values later stages read
 * @param boundaries every boundary, by the stage that computes it, then in graph order
 * @param carries the values tasks keep for later stages
 * @param driverFetches the driver graph's tensor for each fetch of the run, in order
 */
public record StageGraphs(
    List<Graph> workers,
    List<List<String>> workerOutputs,
    List<Boundary> boundaries,
    List<Carry> carries,
    Graph driver,
    List<String> driverFetches) {}
