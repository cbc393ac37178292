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

  /**
   * A stage whose nodes all run on one {@code device}: the worker stage (on whichever device or
   * Spark task runs a shard), or a stage rebuilt from a shipped graph on an executor.
   */
  public static Stage onOneDevice(Kind kind, Graph graph, List<String> outputs, List<String> feeds,
      String device) {
    java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
    graph.nodes().forEach(n -> all.put(n.name(), device));
    return new Stage(kind, graph, outputs, feeds, new Placement(all, List.of()),
        List.of(new DeviceGraph(device, graph, outputs, List.of(), List.of())));
  }
}
