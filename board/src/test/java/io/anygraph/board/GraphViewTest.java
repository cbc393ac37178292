package io.anygraph.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.GraphView.ViewNode;
import io.anygraph.core.Graph;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the viewer reads back from a GraphDef: nodes, devices, stages, boundaries. */
class GraphViewTest {
  private static Map<String, ViewNode> byName(GraphView v) {
    return v.nodes().stream().collect(Collectors.toMap(ViewNode::name, Function.identity()));
  }

  @Test
  void theTutorialsNodesWithTheirTypes() {
    Map<String, ViewNode> nodes = byName(GraphView.of(TestGraphs.tutorial()));
    assertEquals(3, nodes.size());
    ViewNode add = nodes.get("addition/add");
    assertEquals("add", add.op());
    assertEquals(List.of("a", "b"), add.inputs());
    assertEquals(List.of("int8<unknown>"), add.outputs()); // placeholders without a shape
    assertEquals("int8", nodes.get("a").attrs().get("dtype"));
    assertEquals("", add.device());
    assertEquals("", add.stage());
  }

  @Test
  void attributesAreShownAsShortText() {
    Map<String, ViewNode> nodes = byName(GraphView.of(TestGraphs.dense()));
    assertEquals("[?, 4]", nodes.get("x").attrs().get("shape"));
    assertEquals(List.of("float32[?, 4]"), nodes.get("x").outputs());
    assertEquals("false", nodes.get("dense/matmul").attrs().get("transposeA"));
    String bias =
        nodes.values().stream()
            .filter(n -> n.op().equals("constant"))
            .map(n -> n.attrs().get("value"))
            .filter(v -> v.startsWith("float32[1, 3]"))
            .findFirst()
            .orElseThrow();
    assertEquals("float32[1, 3] = [0.1, 0.1, 0.1]", bias);
  }

  @Test
  void annotationsAndBoundariesRoundTripThroughTheGraphDef() {
    Graph g = TestGraphs.dense();
    List<BoundaryMark> boundaries =
        List.of(
            new BoundaryMark(BoundaryMark.Kind.TRANSFER, "x", "dense/matmul", "cpu:0 -> cpu:1"),
            new BoundaryMark(BoundaryMark.Kind.ALL_REDUCE, "dense/matmul:0", "dense/add", ""),
            new BoundaryMark(BoundaryMark.Kind.ALL_GATHER, "dense/add", "loss/square", "rows"));
    GraphView view =
        GraphView.of(g, Map.of("dense/matmul", new NodeAnnotation("cpu:1", "worker")), boundaries);
    GraphView read = GraphView.of(view.graphDef());
    assertEquals(boundaries, read.boundaries());
    Map<String, ViewNode> nodes = byName(read);
    assertEquals(g.size(), nodes.size()); // boundary nodes are not graph nodes
    assertEquals("cpu:1", nodes.get("dense/matmul").device());
    assertEquals("worker", nodes.get("dense/matmul").stage());
    assertTrue(nodes.get("dense/add").controlInputs().isEmpty()); // the mark's edge is a boundary
  }

  @Test
  void twoBoundariesIntoOneScopeGetTheirOwnNodes() {
    GraphView view =
        GraphView.of(
            TestGraphs.dense(),
            Map.of(),
            List.of(
                new BoundaryMark(BoundaryMark.Kind.TRANSFER, "x", "dense/matmul", ""),
                new BoundaryMark(BoundaryMark.Kind.TRANSFER, "dense/w", "dense/matmul", "")));
    List<String> names =
        view.graphDef().getNodeList().stream()
            .map(n -> n.getName())
            .filter(n -> n.contains("_transfer"))
            .toList();
    assertEquals(List.of("dense/_transfer", "dense/_transfer_1"), names);
  }

  @Test
  void unknownNodesAreRefusedByName() {
    Graph g = TestGraphs.tutorial();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GraphView.of(g, Map.of("nope", new NodeAnnotation("cpu:0", null)), List.of()));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GraphView.of(
                    g,
                    Map.of(),
                    List.of(
                        new BoundaryMark(BoundaryMark.Kind.ALL_GATHER, "a", "addition/sub", ""))));
    assertTrue(
        e.getMessage().contains("gather") && e.getMessage().contains("'addition/sub'"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BoundaryMark.Kind.fromLabel("shuffle"));
    assertTrue(e.getMessage().contains("shuffle"), e.getMessage());
  }
}
