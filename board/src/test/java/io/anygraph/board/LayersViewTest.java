package io.anygraph.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** The viewer shows the layers' ops with their attributes and every output's type. */
class LayersViewTest {
  @Test
  void cumsumAndTopKAreShownWithAttributesAndBothOutputs() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
    Tensor running = g.withName("running").cumsum(x, 1, true, false);
    g.nn().topK(running, 2, true);
    Map<String, ViewNode> nodes =
        GraphView.of(g).nodes().stream()
            .collect(Collectors.toMap(ViewNode::name, Function.identity()));
    ViewNode cumsum = nodes.get("running");
    assertEquals("cumsum", cumsum.op());
    assertEquals("true", cumsum.attrs().get("exclusive"));
    assertEquals(List.of("float32[?, 5]"), cumsum.outputs());
    ViewNode top = nodes.get("topK");
    assertEquals(List.of("running"), top.inputs());
    assertEquals("2", top.attrs().get("k"));
    assertEquals(List.of("float32[?, 2]", "int32[?, 2]"), top.outputs());
  }
}
