package io.anygraph.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.board.GraphView.ViewNode;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adagrad;
import io.anygraph.core.train.GlobalStep;
import io.anygraph.core.train.Schedules;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The viewer shows the sparse-update and schedule ops with their types. */
class TrainingOpsViewTest {
  @Test
  void sparseUpdatesAreShownWithTheirTypes() {
    Graph g = new Graph();
    Variable table = g.variable(g.ops().zeros(DType.FLOAT32, 8, 2), "table");
    Tensor ids = g.placeholder(DType.INT32, Shape.of(-1), "ids");
    Tensor lr = Schedules.cosineDecay(GlobalStep.of(g), 0.1, 10, 0);
    new Adagrad(lr, 0.1).minimize(g.nn().embeddingLookup(table, ids).sum());
    Map<String, ViewNode> byOp =
        GraphView.of(g).nodes().stream()
            .collect(Collectors.toMap(ViewNode::op, Function.identity(), (a, b) -> a));
    assertEquals(List.of("float32[?, 2]", "int64[?]"), byOp.get("sumDuplicateRows").outputs());
    assertEquals(List.of("float32[8, 2]"), byOp.get("scatterSub").outputs());
    assertEquals(List.of("float32[8, 2]"), byOp.get("scatterUpdate").outputs());
    assertEquals(List.of("float64[]"), byOp.get("cos").outputs());
  }
}
