package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Subgraph;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.ControlFlowOpDefs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Nested graphs survive the graph file: a loop, a cond inside it, scan, and their gradients. */
class ControlFlowGraphFileTest {
  @TempDir Path tmp;

  @Test
  void nestedGraphsRoundTripAndComputeTheSame() throws IOException {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(2), "x");
    Tensor w = g.constant(Eval.doubles(new long[] {2}, 0.5, -1.5));
    Tensor limit = g.constant(3, DType.INT32);
    Tensor y =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), limit),
                v ->
                    List.of(
                        v.get(0).add(1),
                        g.control()
                            .cond(
                                g.ops().greater(v.get(1).sum(), g.constant(0.0, DType.FLOAT64)),
                                () -> v.get(1).mul(w),
                                () -> v.get(1).add(w))),
                List.of(g.constant(0, DType.INT32), x))
            .get(1);
    Tensor scanned =
        g.control()
            .scan(
                (s, h, none) -> List.of(h.get(0).mul(s.get(0))),
                List.of(g.ops().reshape(x, 2, 1)),
                List.of(y),
                List.of())
            .get(0);
    Tensor loss = scanned.sum();
    Tensor dx = g.grad(loss, x);
    g.save(tmp.resolve("cf"));
    Graph back = Graph.load(tmp.resolve("cf"));

    Node loop = back.node(y.node().name());
    Subgraph body = loop.attrs().getSubgraph(ControlFlowOpDefs.BODY);
    assertTrue(
        body.graph().nodes().stream().anyMatch(n -> n.op().equals(ControlFlowOpDefs.COND_OP)),
        "the body keeps its nested cond");
    assertEquals(
        y.node().attrs().getSubgraph(ControlFlowOpDefs.BODY).graph().toString(),
        body.graph().toString());

    for (double[] xv : new double[][] {{1.0, 2.0}, {-3.0, 0.25}}) {
      Map<String, Object> feeds = Map.of("x", Eval.doubles(new long[] {2}, xv));
      List<INDArray> before = run(g, List.of(loss, dx), feeds);
      List<INDArray> after =
          run(back, List.of(back.tensor(loss.name()), back.tensor(dx.name())), feeds);
      for (int i = 0; i < 2; i++) {
        assertEquals(before.get(i), after.get(i), "value " + i + " at x = " + xv[0]);
      }
    }
  }

  @Test
  void aNestedGraphWhoseInputIsNotAPlaceholderIsRefusedNamingIt() throws IOException {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(2), "x");
    Tensor limit = g.constant(2.0, DType.FLOAT64);
    g.control()
        .whileLoop(
            v -> g.ops().less(v.get(0).sum(), limit), v -> List.of(v.get(0).add(1.0)), List.of(x));
    Path dir = tmp.resolve("bad");
    g.save(dir);
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(dir.resolve("graph.json").toFile());
    for (JsonNode n : root.get("nodes")) {
      if (n.get("op").asText().equals(ControlFlowOpDefs.WHILE_OP)) {
        ArrayNode ins = (ArrayNode) n.get("attrs").get("body").get("graph").get("inputs");
        ins.set(0, json.getNodeFactory().textNode("add:0")); // the body's add, not a placeholder
      }
    }
    json.writeValue(dir.resolve("graph.json").toFile(), root);
    String why = assertThrows(AnygraphException.class, () -> Graph.load(dir)).getMessage();
    assertTrue(why.contains("attrs.body.graph.inputs") && why.contains("placeholder"), why);
  }

  private static List<INDArray> run(Graph g, List<Tensor> fetches, Map<String, Object> feeds) {
    try (Session s = new Session(g)) {
      return s.run(fetches, feeds);
    }
  }
}
