package io.anygraph.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.partition.Plan;
import io.anygraph.partition.Stage;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.device.DeviceGraph;
import io.anygraph.partition.device.Transfer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Placement, soft placement and transfers for {@code gpu:*} devices, on any machine: the GPUs come
 * from a fake {@link DeviceCatalog}, and work placed on them runs on the CPU backend on a thread of
 * their own. What this proves is the plan (which device, which transfers, which reasons), not a
 * GPU; GpuParityTest runs the same kinds of plans on a real one.
 */
class FakeGpuPlacementTest {
  private static final Cluster.KernelSupport ALL = (op, d) -> true;

  @Test
  void namedGpusComeFirstTakeTheShardsAndGetACpuForFallback() {
    Cluster c =
        LocalOptions.devices("gpu:0", "gpu:1")
            .withCatalog(DeviceCatalog.fake(2, Set.of()))
            .cluster(ALL);
    assertEquals(List.of("gpu:0", "gpu:1", "cpu:0"), c.devices());
    assertEquals(List.of("gpu:0", "gpu:1"), c.replicas());
    assertEquals("gpu:0", c.defaultDevice());
    assertEquals("cpu:0", c.fallbackCpu());
  }

  @Test
  void withoutNamesEveryCatalogGpuPrecedesTheCpus() {
    Cluster c = LocalOptions.cpus(2).withCatalog(DeviceCatalog.fake(1, Set.of())).cluster(ALL);
    assertEquals(List.of("gpu:0", "cpu:0", "cpu:1"), c.devices());
  }

  @Test
  void aGpuTheCatalogLacksIsRefusedNamingWhatThereIs() {
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () ->
                LocalOptions.devices("gpu:0", "gpu:1")
                    .withCatalog(DeviceCatalog.fake(1, Set.of()))
                    .cluster(ALL));
    assertEquals(
        "device gpu:1 is not available: a fake device list (1 GPU) offers gpu:0 and CPU devices"
            + " (cpu:N)",
        e.getMessage());
  }

  @Test
  void onTheCpuBackendNoGpuIsAvailableAndTheRefusalSaysHowToGetOne() {
    // this test runs on nd4j-native (the default build): ND4J itself reports no CUDA device
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> LocalOptions.devices("gpu:0").cluster(ALL));
    assertTrue(e.getMessage().startsWith("device gpu:0 is not available: ND4J's "), e.getMessage());
    assertTrue(e.getMessage().contains("--backend cuda"), e.getMessage());
    assertTrue(e.getMessage().endsWith("offers CPU devices only (cpu:0, cpu:1, ...)"));
  }

  @Test
  void badDeviceNamesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LocalOptions.devices("gpu0"));
    assertThrows(IllegalArgumentException.class, () -> LocalOptions.devices("tpu:0"));
    assertThrows(IllegalArgumentException.class, () -> LocalOptions.devices("gpu:0", "gpu:0"));
  }

  /** x·w on gpu:0, then relu asked for gpu:0 too, but the fake GPU has no relu kernel. */
  private record Mixed(Graph g, Tensor x, Tensor w, Tensor out) {}

  private static Mixed mixed() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2, 2), "x");
    Tensor w = g.placeholder(DType.FLOAT32, Shape.of(2, 2), "w");
    Tensor out;
    try (Scope s = g.device("gpu:0")) {
      out = g.nn().relu(x.matmul(w)).mul(3);
    }
    return new Mixed(g, x, w, out);
  }

  @Test
  void anOpWithoutAGpuKernelGoesToTheCpuWithAReasonAndTransfersCarryItsValues() {
    Mixed m = mixed();
    LocalOptions o =
        LocalOptions.devices("gpu:0").withCatalog(DeviceCatalog.fake(1, Set.of("relu")));
    LocalRunner runner = new LocalRunner(m.g(), o);
    try (Session sess = new Session(m.g(), runner)) { // closes the runner
      Plan plan = runner.plan(List.of(m.out()), Set.of(m.x(), m.w()));
      Stage driver = plan.driver();
      String relu = m.out().node().inputs().get(0).node().name();
      assertEquals("cpu:0", driver.placement().devices().get(relu), plan.explain());
      assertEquals(
          "gpu:0", driver.placement().devices().get(m.out().node().name()), plan.explain());
      assertEquals(1, driver.placement().notes().size(), driver.placement().notes().toString());
      String note = driver.placement().notes().get(0);
      assertTrue(
          note.contains("asked for gpu:0, which has no kernel for op 'relu'")
              && note.endsWith("placed on cpu:0"),
          note);
      // gpu:0 → cpu:0 (the product) and cpu:0 → gpu:0 (relu's value): two real transfers
      List<Transfer> sent = driver.devices().stream().flatMap(d -> d.sent().stream()).toList();
      assertEquals(
          Set.of("gpu:0->cpu:0", "cpu:0->gpu:0"),
          Set.copyOf(sent.stream().map(t -> t.from() + "->" + t.to()).toList()),
          plan.explain());
      assertEquals(
          List.of("cpu:0", "gpu:0"),
          driver.devices().stream().map(DeviceGraph::device).sorted().toList());

      // relu(x·w)·3 worked out by hand: x·w = [[1·2 + -2·1, 1·-1 + -2·3], [3·2 + 0·1, 3·-1 + 0·3]]
      //                                     = [[0, -7], [6, -3]]
      INDArray x = Nd4j.createFromArray(new float[][] {{1, -2}, {3, 0}});
      INDArray w = Nd4j.createFromArray(new float[][] {{2, -1}, {1, 3}});
      INDArray got = sess.run(m.out(), Map.of(m.x(), x, m.w(), w));
      assertArrayEquals(new float[] {0, 0, 18, 0}, got.ravel().toFloatVector(), 0f);
    }
  }

  @Test
  void aMissingGpuFallsBackToTheCpuWhenTheRunnerHasNone() {
    // a graph written for gpu:0, run where the runner offers CPUs only: soft placement, one note
    Mixed m = mixed();
    try (LocalRunner runner = new LocalRunner(m.g(), LocalOptions.cpus(1))) {
      Plan plan = runner.plan(List.of(m.out()), Set.of(m.x(), m.w()));
      assertEquals(List.of("cpu:0"), plan.driver().placement().used(), plan.explain());
      assertTrue(
          plan.driver().placement().notes().stream()
              .allMatch(n -> n.contains("asked for gpu:0, which is not available here")),
          plan.driver().placement().notes().toString());
    }
  }

  @Test
  void dataParallelOverTwoGpusSplitsTheBatchAndSumsBack() {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    }
    Tensor total = x.square().sum();
    LocalOptions o =
        LocalOptions.devices("gpu:0", "gpu:1").withCatalog(DeviceCatalog.fake(2, Set.of()));
    LocalRunner runner = new LocalRunner(g, o);
    try (Session sess = new Session(g, runner)) {
      Plan plan = runner.plan(List.of(total), Set.of(x));
      assertEquals(List.of("gpu:0", "gpu:1"), plan.replicas());
      assertTrue(plan.worker() != null, plan.explain());
      INDArray v = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {-1, 0}, {0.5f, 2}});
      // 1 + 4 + 9 + 16 + 1 + 0 + 0.25 + 4
      assertEquals(35.25f, sess.run(total, Map.of(x, v)).getFloat(0), 0f);
    }
  }
}
