package io.anygraph.partition.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.placement.Placement;
import io.anygraph.partition.placement.Placer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Transfer insertion: every cross-device edge becomes one send/recv pair. */
class DevicePartitionerTest {
  private static Map<String, DeviceGraph> byDevice(List<DeviceGraph> parts) {
    return parts.stream().collect(Collectors.toMap(DeviceGraph::device, p -> p));
  }

  private static long count(Graph g, String op) {
    return g.nodes().stream().filter(n -> n.op().equals(op)).count();
  }

  @Test
  void crossDeviceEdgesBecomeSendRecvPairsSentOncePerDestination() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, Shape.of(3), "a");
    Tensor h;
    Tensor out;
    try (Scope s = g.device("cpu:1")) {
      h = a.exp();
    }
    try (Scope s = g.device("cpu:0")) {
      out = h.add(h.neg()).mul(h); // three uses of h on cpu:0
    }
    Placement p = Placer.place(g, Cluster.cpus(2));
    List<DeviceGraph> parts = DevicePartitioner.partition(g, List.of(out.name()), Set.of(a), p);
    Map<String, DeviceGraph> d = byDevice(parts);
    assertEquals(Set.of("cpu:0", "cpu:1"), d.keySet());
    assertEquals(1, count(d.get("cpu:1").graph(), "send"));
    assertEquals(1, count(d.get("cpu:0").graph(), "recv"));
    Transfer t = d.get("cpu:1").sent().get(0);
    assertEquals(t, d.get("cpu:0").received().get(0));
    assertEquals("exp:0", t.tensor());
    assertEquals(24, t.bytes());
    Node recv =
        d.get("cpu:0").graph().nodes().stream()
            .filter(n -> n.op().equals("recv"))
            .findFirst()
            .get();
    assertEquals(t.key(), recv.attrs().getString("key"));
    assertEquals(h.type(), recv.output(0));
    assertTrue(d.get("cpu:0").outputs().contains(out.name()));
    // the fed placeholder is available on both devices, not transferred
    assertTrue(d.get("cpu:0").graph().hasNode("a") && d.get("cpu:1").graph().hasNode("a"));
  }

  @Test
  void aControlEdgeAcrossDevicesSendsAToken() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, Shape.of(3), "a");
    Tensor first;
    try (Scope s = g.device("cpu:1")) {
      first = a.exp();
    }
    Tensor after;
    try (Scope s = g.device("cpu:0");
        Scope c = g.controlDependencies(List.of(first))) {
      after = a.neg();
    }
    Placement p = Placer.place(g, Cluster.cpus(2));
    Map<String, DeviceGraph> d =
        byDevice(DevicePartitioner.partition(g, List.of(after.name()), Set.of(a), p));
    Transfer t = d.get("cpu:1").sent().get(0);
    assertEquals("^exp", t.tensor());
    Node neg = d.get("cpu:0").graph().node("neg");
    assertEquals("recv", neg.controlInputs().get(0).op());
  }

  @Test
  void aStageOnOneDeviceIsLeftWhole() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, Shape.of(3), "a");
    Tensor out = a.exp().neg();
    Placement p = Placer.place(g, Cluster.cpus(2));
    List<DeviceGraph> parts = DevicePartitioner.partition(g, List.of(out.name()), Set.of(a), p);
    assertEquals(1, parts.size());
    assertTrue(parts.get(0).graph() == g && parts.get(0).sent().isEmpty());
  }
}
