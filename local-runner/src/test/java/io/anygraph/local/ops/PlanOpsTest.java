package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.local.plan.Combine;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ops the partitioner inserts: {@code size} (element counts), the transfer pair {@code send}/{@code
 * recv} between logical devices, and the collectives at stage boundaries, which on one shard are
 * the identity and across shards sum, join or pick.
 */
class PlanOpsTest {
  @Test
  @CoversForward("size")
  void sizeCountsElementsOverAxes() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3, 4), "x");
    INDArray v = Nd4j.zeros(DataType.FLOAT, 2, 3, 4);
    assertLongs(DType.INT64, new long[0], new long[] {24}, run(g.ops().size(x), Map.of(x, v)));
    assertLongs(
        DType.INT64, new long[0], new long[] {8}, run(g.ops().size(x, 0, -1), Map.of(x, v)));
    assertLongs(DType.INT64, new long[0], new long[] {3}, run(g.ops().size(x, 1), Map.of(x, v)));
  }

  @Test
  @CoversForward({"send", "recv"})
  void valuesCrossLogicalDevicesThroughTransfers() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, Shape.of(3), "a");
    Tensor doubled;
    Tensor out;
    try (Scope s = g.device("cpu:1")) {
      doubled = a.mul(2);
    }
    try (Scope s = g.device("cpu:0")) {
      out = doubled.add(a);
    }
    LocalRunner runner = new LocalRunner(g, LocalOptions.cpus(2));
    Plan plan = runner.plan(List.of(out), Set.of(a));
    assertEquals(2, plan.driver().devices().size(), plan.explain());
    assertEquals(
        1,
        plan.driver().devices().get(1).sent().size() + plan.driver().devices().get(0).sent().size(),
        plan.explain());
    try (Session sess = new Session(g, runner)) {
      assertValues(
          DType.FLOAT64,
          new long[] {3},
          new double[] {3, -6, 1.5},
          sess.run(out, Map.of(a, Nd4j.createFromArray(1.0, -2.0, 0.5))));
    }
  }

  @Test
  @CoversForward({"allReduce", "allGather", "pickReplica"})
  void collectivesAreTheIdentityOnOneShardAndAggregateAcrossShards() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(2), "x");
    INDArray v = Nd4j.createFromArray(1.5, -4.0);
    for (String op : List.of("allReduce", "allGather", "pickReplica")) {
      Attrs attrs = op.equals("allGather") ? Attrs.of("axis", 0) : Attrs.empty();
      Tensor y = g.add(op, List.of(x), attrs, null).get(0);
      assertValues(DType.FLOAT64, new long[] {2}, new double[] {1.5, -4.0}, run(y, Map.of(x, v)));
    }
    INDArray s0 = Nd4j.createFromArray(new double[][] {{1, 2}});
    INDArray s1 = Nd4j.createFromArray(new double[][] {{10, 20}, {30, 40}});
    var t = TensorType.of(DType.FLOAT64, -1, 2);
    assertValues(
        DType.FLOAT64,
        new long[] {3, 2},
        new double[] {1, 2, 10, 20, 30, 40},
        Combine.inShardOrder(
            new Boundary(Boundary.Kind.ALL_GATHER, "w", "d", 0, t), List.of(s0, s1)));
    INDArray p0 = Nd4j.createFromArray(1.0, 2.0);
    INDArray p1 = Nd4j.createFromArray(0.5, -4.0);
    assertValues(
        DType.FLOAT64,
        new long[] {2},
        new double[] {1.5, -2.0},
        Combine.inShardOrder(
            new Boundary(Boundary.Kind.ALL_REDUCE, "w", "d", -1, t), List.of(p0, p1)));
    assertValues(
        DType.FLOAT64,
        new long[] {2},
        new double[] {1.0, 2.0},
        Combine.inShardOrder(
            new Boundary(Boundary.Kind.PICK_REPLICA, "w", "d", -1, t), List.of(p0, p1)));
  }
}
