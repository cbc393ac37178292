package io.anygraph.local.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.AdamW;
import io.anygraph.core.train.GlobalStep;
import io.anygraph.core.train.Schedules;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph with sparse updates and a schedule (sumDuplicateRows, scatterSub, scatterUpdate, cos)
 * saved as a graph file and loaded back trains to the same numbers.
 */
class SparseGraphFileTest {
  @TempDir Path tmp;

  private static Graph model() {
    Graph g = new Graph();
    g.setSeed(5);
    Variable table = g.variable(g.random().normal(DType.FLOAT64, Shape.of(6, 3), 0, 1), "table");
    Tensor ids = g.placeholder(DType.INT64, Shape.of(-1), "ids");
    Tensor loss = g.nn().embeddingLookup(table, ids).square().sum();
    Variable step = GlobalStep.of(g);
    Tensor lr = Schedules.cosineDecay(step, 0.1, 5, 0.1);
    g.withName("train").group(List.of(new AdamW(lr, 0.01).minimize(loss)));
    return g;
  }

  private static double[] trainThreeSteps(Graph g) {
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      for (long s = 0; s < 3; s++) {
        sess.run(g.tensor("train"), Map.of("ids", Nd4j.createFromArray(s, 4L, s)));
      }
      INDArray table = sess.run(g.tensor("table"));
      return table.dup('c').data().asDouble();
    }
  }

  @Test
  void sparseUpdatesAndSchedulesRoundTrip() throws Exception {
    Graph g = model();
    g.save(tmp.resolve("sparse"));
    Graph back = Graph.load(tmp.resolve("sparse"));
    Set<String> ops = back.nodes().stream().map(Node::op).collect(Collectors.toSet());
    assertTrue(
        ops.containsAll(List.of("sumDuplicateRows", "scatterSub", "scatterUpdate", "cos")),
        ops.toString());
    assertEquals(g.size(), back.size());
    assertArrayEquals(trainThreeSteps(g), trainThreeSteps(back));
  }
}
