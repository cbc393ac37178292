package io.anygraph.local.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.testing.BackendReference;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.device.DeviceGraph;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plans over real CUDA devices (skipped with the reason where there are none): a mixed {@code
 * cpu:0}/{@code gpu:0} plan whose values cross in both directions, and data parallelism over two
 * GPUs. Expected values are worked out by hand, so these need no CPU reference.
 * FakeGpuPlacementTest checks the same plans' shapes on every machine.
 */
class GpuPlansTest {
  @Test
  void aMixedCpuAndGpuPlanMovesValuesBothWays() {
    assumeTrue(LogicalDevices.gpuCount() > 0, BackendReference.NO_GPU);
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2, 2), "x");
    Tensor w = g.placeholder(DType.FLOAT32, Shape.of(2, 2), "w");
    Tensor product;
    Tensor relu;
    Tensor out;
    try (Scope s = g.device("gpu:0")) {
      product = x.matmul(w);
    }
    try (Scope s = g.device("cpu:0")) {
      relu = g.nn().relu(product);
    }
    try (Scope s = g.device("gpu:0")) {
      out = relu.mul(3);
    }
    LocalRunner runner = new LocalRunner(g, LocalOptions.devices("gpu:0", "cpu:0"));
    try (Session sess = new Session(g, runner)) {
      Plan plan = runner.plan(List.of(out), Set.of(x, w));
      assertEquals(
          List.of("cpu:0", "gpu:0"),
          plan.driver().devices().stream().map(DeviceGraph::device).sorted().toList(),
          plan.explain());
      assertEquals(
          2, plan.driver().devices().stream().mapToInt(d -> d.sent().size()).sum(), plan.explain());
      // x·w = [[1·2 - 2·1, -1 - 6], [6, -3]] = [[0, -7], [6, -3]]; relu·3 = [[0, 0], [18, 0]]
      INDArray got =
          sess.run(
              out,
              Map.of(
                  x, Nd4j.createFromArray(new float[][] {{1, -2}, {3, 0}}),
                  w, Nd4j.createFromArray(new float[][] {{2, -1}, {1, 3}})));
      assertArrayEquals(new float[] {0, 0, 18, 0}, got.ravel().toFloatVector(), 0f);
    }
  }

  @Test
  void dataParallelOverTwoGpusSumsTheShards() {
    assumeTrue(LogicalDevices.gpuCount() > 0, BackendReference.NO_GPU);
    assumeTrue(
        LogicalDevices.gpuCount() >= 2,
        "data parallelism over gpu:0 and gpu:1 needs two CUDA devices; this machine has one");
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    }
    Tensor total = x.square().sum();
    LocalRunner runner = new LocalRunner(g, LocalOptions.devices("gpu:0", "gpu:1"));
    try (Session sess = new Session(g, runner)) {
      assertEquals(List.of("gpu:0", "gpu:1"), runner.plan(List.of(total), Set.of(x)).replicas());
      INDArray v = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {-1, 0}, {0.5f, 2}});
      // 1 + 4 + 9 + 16 + 1 + 0 + 0.25 + 4
      assertEquals(35.25f, sess.run(total, Map.of(x, v)).getFloat(0), 0f);
    }
  }
}
