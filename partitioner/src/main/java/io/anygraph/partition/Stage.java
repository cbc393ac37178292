package io.anygraph.partition;

import io.anygraph.core.Graph;
import io.anygraph.partition.device.DeviceGraph;
import io.anygraph.partition.placement.Placement;
import java.util.List;

/**
 * One stage of a plan: a graph, what it computes, what it is fed, and how its nodes are spread
 * over devices.
 *
 * @param outputs tensors of {@code graph} the stage computes
 * @param feeds placeholders of {@code graph} the runner feeds: the run's feeds, the global
 *     batch size, and (driver) the aggregated boundary values
 * @param placement the device of each node; for the worker stage every node runs on the
 *     device of the shard's task ({@link Plan#replicas()})
 * @param devices the per-device subgraphs (one when the stage uses one device)
 */
public record Stage(Kind kind, Graph graph, List<String> outputs, List<String> feeds,
    Placement placement, List<DeviceGraph> devices) {
  public enum Kind { WORKER, DRIVER }

  public Stage {
    outputs = List.copyOf(outputs);
    feeds = List.copyOf(feeds);
    devices = List.copyOf(devices);
  }
}
