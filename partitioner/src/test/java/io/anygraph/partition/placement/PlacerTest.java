package io.anygraph.partition.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.common.PlanException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Placement rules on small hand-built graphs, in the order the placer applies them. */
class PlacerTest {
  private static String device(Placement p, Tensor t) {
    return p.device(t.node());
  }

  @Test
  void explicitDeviceScopesAreKept() {
    Graph g = new Graph();
    Tensor a;
    Tensor b;
    try (Scope s = g.device("cpu:1")) {
      a = g.placeholder(DType.FLOAT32, Shape.of(4), "a");
    }
    try (Scope s = g.device("cpu:0")) {
      b = a.neg();
    }
    Placement p = Placer.place(g, Cluster.cpus(2));
    assertEquals("cpu:1", device(p, a));
    assertEquals("cpu:0", device(p, b));
    assertTrue(p.notes().isEmpty(), p.notes().toString());
  }

  @Test
  void aVariableStaysWithItsUpdatesAndColocatedOpsFollowTheirTarget() {
    Graph g = new Graph();
    Variable v;
    try (Scope s = g.device("cpu:1")) {
      v = g.variable(g.ops().zeros(DType.FLOAT32, 3), "v");
    }
    Tensor update = g.ops().assign(v, v.add(g.ops().ones(DType.FLOAT32, 3))); // no scope
    Tensor beside;
    try (Scope s = g.colocateWith(v)) {
      beside = g.ops().ones(DType.FLOAT32, 3);
    }
    Placement p = Placer.place(g, Cluster.cpus(2));
    assertEquals("cpu:1", device(p, update));
    assertEquals("cpu:1", device(p, v.initializer()));
    assertEquals("cpu:1", device(p, beside));
  }

  @Test
  void aMissingGpuFallsBackToTheCpuWithAReason() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(4), "a");
    Tensor r;
    try (Scope s = g.device("gpu:0")) {
      r = g.nn().relu(a);
    }
    Placement p = Placer.place(g, Cluster.cpus(2));
    assertEquals("cpu:0", device(p, r));
    assertEquals(1, p.notes().size());
    assertTrue(
        p.notes().get(0).contains("gpu:0") && p.notes().get(0).contains("relu"), p.notes().get(0));
  }

  @Test
  void anOpWithoutAGpuKernelFallsBackToTheCpu() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(4), "a");
    Tensor r;
    Tensor n;
    try (Scope s = g.device("gpu:0")) {
      r = g.nn().relu(a);
      n = a.neg();
    }
    Cluster c = Cluster.of(1, 1, (op, d) -> !(op.equals("relu") && d.startsWith("gpu")));
    Placement p = Placer.place(g, c);
    assertEquals("cpu:0", device(p, r));
    assertEquals("gpu:0", device(p, n));
    assertTrue(p.notes().get(0).contains("no kernel"), p.notes().toString());
  }

  @Test
  void unplacedOpsStayBesideTheirInputs() {
    Graph g = new Graph();
    Tensor a;
    try (Scope s = g.device("cpu:1")) {
      a = g.placeholder(DType.FLOAT32, Shape.of(1000), "a");
    }
    Tensor b = g.placeholder(DType.FLOAT32, Shape.of(1000), "b");
    Tensor fromA = a.neg().exp();
    Tensor both = fromA.add(g.placeholder(DType.FLOAT32, Shape.of(1), "c"));
    Placement p = Placer.place(g, Cluster.cpus(2));
    assertEquals("cpu:1", device(p, fromA));
    assertEquals("cpu:1", device(p, both), "moving 4 bytes beats moving 4,000");
    assertEquals("cpu:0", device(p, b), "sources without a scope go to the default device");
  }

  @Test
  void anUnknownCpuIsAnErrorNamingTheNodeAndTheDevices() {
    Graph g = new Graph();
    try (Scope s = g.device("cpu:7")) {
      g.placeholder(DType.FLOAT32, Shape.of(4), "a").neg();
    }
    PlanException e = assertThrows(PlanException.class, () -> Placer.place(g, Cluster.cpus(2)));
    assertTrue(
        e.getMessage().contains("'a'")
            && e.getMessage().contains("cpu:7")
            && e.getMessage().contains("cpu:0, cpu:1"),
        e.getMessage());
  }

  @Test
  void aCycleOfColocationConstraintsWithTwoDevicesIsAnError() {
    Graph g = new Graph();
    // a → c → b → a, written as a graph file would: a names c before c exists
    g.insert(
        "a",
        "placeholder",
        List.of(),
        Attrs.of("dtype", DType.FLOAT32, "shape", Shape.of(2), Graph.COLOCATE_WITH, "c"),
        "cpu:0",
        List.of());
    g.insert("b", "neg", List.of(g.tensor("a")), Attrs.of(Graph.COLOCATE_WITH, "a"), "", List.of());
    g.insert(
        "c", "neg", List.of(g.tensor("b")), Attrs.of(Graph.COLOCATE_WITH, "b"), "cpu:1", List.of());
    PlanException e = assertThrows(PlanException.class, () -> Placer.place(g, Cluster.cpus(2)));
    assertTrue(
        e.getMessage().contains("'a' asks for cpu:0")
            && e.getMessage().contains("'c' asks for cpu:1")
            && e.getMessage().contains("'a' is colocated with 'c'"),
        e.getMessage());
  }

  @Test
  void aConsistentCycleSharesOneDevice() {
    Graph g = new Graph();
    g.insert(
        "a",
        "placeholder",
        List.of(),
        Attrs.of("dtype", DType.FLOAT32, "shape", Shape.of(2), Graph.COLOCATE_WITH, "c"),
        "",
        List.of());
    g.insert("b", "neg", List.of(g.tensor("a")), Attrs.of(Graph.COLOCATE_WITH, "a"), "", List.of());
    g.insert(
        "c", "neg", List.of(g.tensor("b")), Attrs.of(Graph.COLOCATE_WITH, "b"), "cpu:1", List.of());
    Placement p = Placer.place(g, Cluster.cpus(2));
    assertEquals(List.of("cpu:1"), p.used());
  }
}
