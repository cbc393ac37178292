package io.anygraph.partition.placement;

import io.anygraph.core.Node;
import java.util.List;
import java.util.Map;

/**
 * The device of every node of a stage graph, with the reasons for choices a user did not make (soft
 * placement of an op whose device is missing or has no kernel for it).
 */
public record Placement(Map<String, String> devices, List<String> notes) {
  public Placement {
    devices = Map.copyOf(devices);
    notes = List.copyOf(notes);
  }

  public String device(Node n) {
    String d = devices.get(n.name());
    if (d == null) {
      throw new IllegalStateException("node '" + n.name() + "' was not placed");
    }
    return d;
  }

  /** The distinct devices used. */
  public List<String> used() {
    return devices.values().stream().distinct().sorted().toList();
  }
}
