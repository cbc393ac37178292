package io.anygraph.local.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A profile of a graph with a loop: the loop body's steps get rows of their own, labelled with the
 * loop's node, counted once per iteration; the outer steps and the runs are counted once per run.
 */
class OpProfileTest {
  @Test
  void loopBodyStepsAreLabelledWithTheirLoopAndRunsCountOnlyOutermostRuns() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(3), "x");
    Tensor shifted = g.withName("add").add(x, g.constant(1.0, DType.FLOAT32));
    Tensor zero = g.constant(0.0, DType.FLOAT32);
    Tensor four = g.constant(4.0, DType.FLOAT32);
    Tensor one = g.constant(1.0, DType.FLOAT32);
    // four iterations, each adding 1 to the counter and the vector: an "add" node in the body too
    List<Tensor> loop =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), four),
                v -> List.of(v.get(0).add(one), v.get(1).add(one)),
                List.of(zero, shifted));
    String loopRow = loop.get(0).node().name() + " (" + loop.get(0).node().op() + ")";
    Map<String, Long> calls = new HashMap<>();
    try (Session s = new Session(g);
        OpProfile p = OpProfile.start()) {
      for (int run = 0; run < 2; run++) {
        // x + 1 + 4 = x + 5
        assertEquals(
            Nd4j.createFromArray(5f, 6f, 7f),
            s.run(loop.get(1), Map.of(x, Nd4j.createFromArray(0f, 1f, 2f))));
      }
      p.byNode().forEach(r -> calls.put(r.name(), r.calls()));
      assertEquals(2, p.runs(), calls.toString());
    }
    assertEquals(2L, calls.get("add (add)"), calls.toString());
    assertEquals(2L, calls.get(loopRow), calls.toString());
    // every row of the body is under the loop's label; its adds ran 2 runs x 4 iterations x 2
    long bodyAdds = 0;
    for (Map.Entry<String, Long> e : calls.entrySet()) {
      if (e.getKey().startsWith(loopRow + " > ") && e.getKey().endsWith("(add)")) {
        bodyAdds += e.getValue();
      }
    }
    assertEquals(16L, bodyAdds, calls.toString());
  }

  @Test
  void rowsHoldOwnTimeSoTheyAddUpToNoMoreThanTheWallTime() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(64, 64), "x");
    List<Tensor> loop =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), g.constant(20.0, DType.FLOAT32)),
                v ->
                    List.of(
                        v.get(0).add(g.constant(1.0, DType.FLOAT32)),
                        g.nn().tanh(g.ops().matmul(v.get(1), v.get(1)))),
                List.of(g.constant(0.0, DType.FLOAT32), x));
    try (Session s = new Session(g);
        OpProfile p = OpProfile.start()) {
      long start = System.nanoTime();
      s.run(loop.get(1), Map.of(x, Nd4j.rand(DataType.FLOAT, 64, 64)));
      long wall = System.nanoTime() - start;
      long byNode = p.byNode().stream().mapToLong(OpProfile.Row::nanos).sum();
      long byOp = p.byOp().stream().mapToLong(OpProfile.Row::nanos).sum();
      // with the body's time also in the loop's row, the sums would exceed the wall time
      assertTrue(byNode <= wall && byOp == byNode, byNode + " ns in rows, " + wall + " ns wall");
    }
  }
}
