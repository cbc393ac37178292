package io.anygraph.partition;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.partition.device.DeviceGraph;
import io.anygraph.partition.placement.Placement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage of a plan: a graph, what it computes, what it is fed, and how its nodes are spread over
 * devices.
 *
 * @param outputs tensors of {@code graph} the stage computes
 * @param feeds placeholders of {@code graph} the runner feeds: the run's feeds, the global batch
 *     size, and (driver) the aggregated boundary values
 * @param shardAxes the feeds split across shards, each with its axis, in feed order: worked out
 *     once here, so every runner shards the same feeds the same way (empty for the driver stage)
 * @param placement the device of each node; for the worker stage every node runs on the device of
 *     the shard's task ({@link Plan#replicas()})
 * @param devices the per-device subgraphs (one when the stage uses one device)
 */
public record Stage(
    Kind kind,
    Graph graph,
    List<String> outputs,
    List<String> feeds,
    Map<String, Integer> shardAxes,
    Placement placement,
    List<DeviceGraph> devices) {
  public enum Kind {
    WORKER,
    DRIVER
  }

  public Stage {
    outputs = List.copyOf(outputs);
    feeds = List.copyOf(feeds);
    shardAxes = Collections.unmodifiableMap(new LinkedHashMap<>(shardAxes)); // keeps feed order
    devices = List.copyOf(devices);
  }

  /**
   * A stage whose nodes all run on one {@code device}: the worker stage (on whichever device or
   * Spark task runs a shard), or a stage rebuilt from a shipped graph on an executor.
   */
  public static Stage onOneDevice(
      Kind kind, Graph graph, List<String> outputs, List<String> feeds, String device) {
    Map<String, String> all = new LinkedHashMap<>();
    graph.nodes().forEach(n -> all.put(n.name(), device));
    Map<String, Integer> axes = kind == Kind.WORKER ? shardAxes(graph, feeds) : Map.of();
    return new Stage(
        kind,
        graph,
        outputs,
        feeds,
        axes,
        new Placement(all, List.of()),
        List.of(new DeviceGraph(device, graph, outputs, List.of(), List.of())));
  }

  /** The feeds whose placeholders the sharding pass marked split, with their axes. */
  private static Map<String, Integer> shardAxes(Graph graph, List<String> feeds) {
    Map<String, Integer> axes = new LinkedHashMap<>();
    for (String f : feeds) {
      Node n = graph.node(f.substring(0, f.lastIndexOf(':')));
      if (n.attrs().has(Graph.SHARD_AXIS)) {
        axes.put(f, (int) n.attrs().getLong(Graph.SHARD_AXIS));
      }
    }
    return axes;
  }
}
