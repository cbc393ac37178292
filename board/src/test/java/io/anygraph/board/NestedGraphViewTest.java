package io.anygraph.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.GraphView.ViewNode;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A loop's body (and a cond inside it) drawn as nodes in the loop's own scope. */
class NestedGraphViewTest {
  @Test
  void aLoopBodyIsANestedGroupInsideTheLoopsScope() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(3), "x");
    Tensor limit = g.constant(4, DType.INT32);
    g.control()
        .whileLoop(
            v -> g.ops().less(v.get(0), limit),
            v ->
                List.of(
                    v.get(0).add(1),
                    g.control()
                        .cond(
                            g.ops().greater(v.get(1).sum(), g.constant(0.0, DType.FLOAT32)),
                            () -> v.get(1).mul(v.get(1)),
                            () -> v.get(1).neg())),
            List.of(g.constant(0, DType.INT32), x));
    Map<String, ViewNode> nodes =
        GraphView.of(g, Map.of("whileLoop", new NodeAnnotation("cpu:1", "worker")), List.of())
            .nodes()
            .stream()
            .collect(Collectors.toMap(ViewNode::name, Function.identity()));

    ViewNode loop = nodes.get("whileLoop");
    assertTrue(nodes.containsKey("whileLoop/cond/less"), nodes.keySet().toString());
    assertTrue(loop.attrs().get("body").contains("cond"), loop.attrs().get("body"));
    ViewNode add = nodes.get("whileLoop/body/add");
    assertEquals("add", add.op());
    assertEquals(List.of("whileLoop/body/arg", "whileLoop/body/constant"), add.inputs());
    assertEquals("cpu:1", add.device(), "the body runs where the loop runs");
    assertEquals("worker", add.stage());
    assertEquals("less", nodes.get("whileLoop/cond/less").op(), "the condition too");
    ViewNode mul = nodes.get("whileLoop/body/cond/then/mul");
    assertEquals("mul", mul.op(), "a cond inside the body nests one level deeper");
    assertEquals("neg", nodes.get("whileLoop/body/cond/else/neg").op());
  }
}
