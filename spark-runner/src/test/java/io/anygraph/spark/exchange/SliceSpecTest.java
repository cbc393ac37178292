package io.anygraph.spark.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.partition.Partitioner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.common.Cluster;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Slices of row-major elements and the driver stage's slicing, on small hand-built graphs: which
 * nodes are cut, how many slices a parameter of 16 elements allows, the per-slice graph's shapes,
 * and the reason a driver stage that gathers rows cannot be sliced.
 */
class SliceSpecTest {
  @Test
  void slicesCoverTheElementsInOrderAndJoinBack() {
    INDArray a = Nd4j.createFromArray(new float[][] {{0, 1, 2}, {3, 4, 5}});
    // 6 elements in 4 slices: bounds 6k/4 = 0, 1, 3, 4, 6
    assertArrayEquals(new float[] {0}, Slices.of(a, 0, 4).toFloatVector());
    assertArrayEquals(new float[] {1, 2}, Slices.of(a, 1, 4).toFloatVector());
    assertArrayEquals(new float[] {3}, Slices.of(a, 2, 4).toFloatVector());
    assertArrayEquals(new float[] {4, 5}, Slices.of(a, 3, 4).toFloatVector());
    INDArray back =
        Slices.join(
            List.of(Slices.of(a, 0, 4), Slices.of(a, 1, 4), Slices.of(a, 2, 4), Slices.of(a, 3, 4)),
            new long[] {2, 3});
    assertEquals(a, back);
    // a transposed view: slices follow its logical row-major order, not the buffer's
    assertArrayEquals(new float[] {0, 3, 1}, Slices.of(a.transpose(), 0, 2).toFloatVector());
  }

  private record Net(Graph g, Tensor x, Tensor train, Tensor rows) {}

  private static Net net() {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
    }
    Variable w = g.variable(g.ops().zeros(DType.FLOAT32, 5, 16), "w");
    Variable b = g.variable(g.ops().zeros(DType.FLOAT32, 16), "b");
    Tensor rows = g.nn().biasAdd(x.matmul(w), b);
    Tensor train = new GradientDescent(0.1).minimize(rows.square().mean());
    return new Net(g, x, train, rows);
  }

  private static Plan plan(List<Tensor> fetches, Tensor fed) {
    Cluster c = Cluster.cpus(1).withReplicas(List.of("tasks"));
    return Partitioner.plan(fetches, Set.of(fed), c, true);
  }

  @Test
  void sgdSlicesItsParametersAndGradientsAndKeepsScalarsWhole() {
    Net n = net();
    Plan p = plan(List.of(n.train()), n.x());
    assertNull(SliceSpec.whyNot(p));
    SliceSpec spec = SliceSpec.of(p, 32);
    assertEquals(16, spec.slices(), "b has 16 elements: no empty slice");
    assertTrue(spec.sliced().containsAll(List.of("w", "b")), spec.sliced().toString());
    assertEquals(List.of("w", "b"), spec.params(), "the worker stage reads both");
    assertEquals(List.of(), spec.toDriver(), "SGD keeps no scalar state");
    Graph slice = spec.sliceGraph(p.driver().graph(), 0);
    assertEquals(Shape.of(5), slice.node("w").output(0).shape(), "80 elements in 16 slices");
    assertEquals(Shape.of(1), slice.node("b").output(0).shape());
  }

  @Test
  void aDriverStageTakingGatheredRowsIsNotSliceable() {
    Net n = net();
    String why = SliceSpec.whyNot(plan(List.of(n.train(), n.rows()), n.x()));
    assertTrue(why != null && why.contains("(all-gather)"), why);
  }
}
