package io.anygraph.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.examples.bench.AnygraphNets;
import io.anygraph.examples.bench.BenchPeer;
import io.anygraph.examples.bench.Workload;
import io.anygraph.local.exec.OpProfile;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A differential check of Anygraph's training against TensorFlow's: from the same initial
 * parameters, one SGD step must give the same parameters in both engines (so Anygraph's gradients
 * agree with TensorFlow's), and a few steps must lower the loss in both.
 */
class TensorFlowPeerTest {
  private static final long[] MLP = {784, 256, 256, 10};
  private static final double LR = 0.1;

  @Test
  void theTensorFlowPeerIsFoundOnTheClasspath() {
    assertTrue(
        BenchPeer.installed().stream().anyMatch(p -> p instanceof TensorFlowPeer),
        "META-INF/services registers TensorFlowPeer");
  }

  @Test
  void mlpOneStepGivesTheSameParametersInBothEngines() {
    oneStepAgrees(AnygraphNets.mlp(MLP, 1, LR), TfNets::mlp, 32);
  }

  @Test
  void cnnOneStepGivesTheSameParametersInBothEngines() {
    oneStepAgrees(AnygraphNets.cnn(1, LR), TfNets::cnn, 16);
  }

  @Test
  void mlpLossFallsInBothEngines() {
    lossFalls(AnygraphNets.mlp(MLP, 2, LR), TfNets::mlp, 32);
  }

  @Test
  void cnnLossFallsInBothEngines() {
    lossFalls(AnygraphNets.cnn(2, LR), TfNets::cnn, 16);
  }

  @Test
  void theMlpsOpTimesNameItsOpsAndNodesOncePerStep() {
    try (Workload anygraph = AnygraphNets.mlp(MLP, 3, LR);
        Workload tf = TfNets.mlp(anygraph.parameters(), LR)) {
      INDArray x = pixels(32, 15);
      INDArray y = digits(32, 16);
      Workload.OpTimes times = tf.opTimes(x, y, 3);
      assertEquals(3, times.steps());
      // three layers: three products forward (with their biases), five backward (the first
      // layer's input gradient is not needed), one update per parameter, each once a step
      long products =
          times.byOp().stream()
              .filter(r -> r.name().contains("MatMul"))
              .mapToLong(OpProfile.Row::calls)
              .sum();
      assertEquals(8 * 3, products, times.byOp().toString());
      OpProfile.Row update =
          times.byOp().stream()
              .filter(r -> r.name().equals("ApplyGradientDescent"))
              .findFirst()
              .orElseThrow();
      assertEquals(6 * 3, update.calls());
      assertTrue(times.byOp().stream().allMatch(r -> r.nanos() >= 0));
      // most expensive first, and the nodes add up to the ops
      for (int i = 1; i < times.byOp().size(); i++) {
        assertTrue(times.byOp().get(i - 1).nanos() >= times.byOp().get(i).nanos());
      }
      assertEquals(
          times.byOp().stream().mapToLong(OpProfile.Row::nanos).sum(),
          times.byNode().stream().mapToLong(OpProfile.Row::nanos).sum());
      assertTrue(times.byNode().stream().allMatch(r -> r.calls() == 3), times.byNode().toString());
    }
  }

  private static void oneStepAgrees(
      Workload anygraph, BiFunction<Map<String, INDArray>, Double, Workload> peer, int batch) {
    INDArray x = pixels(batch, 7);
    INDArray y = digits(batch, 8);
    Map<String, INDArray> initial = anygraph.parameters();
    try (anygraph;
        Workload tf = peer.apply(initial, LR)) {
      assertEquals(anygraph.loss(x, y), tf.loss(x, y), 1e-4, "the same forward pass");
      anygraph.step(x, y);
      tf.step(x, y);
      Map<String, INDArray> a = anygraph.parameters();
      Map<String, INDArray> t = tf.parameters();
      assertEquals(initial.keySet(), t.keySet());
      for (String name : initial.keySet()) {
        // compare the updates (lr * gradient), not the parameters they are small next to
        INDArray updateA = a.get(name).sub(initial.get(name));
        INDArray updateT = t.get(name).sub(initial.get(name));
        double scale = updateT.amaxNumber().doubleValue();
        assertTrue(scale > 1e-6, name + " moved in TensorFlow's step");
        double diff = updateA.sub(updateT).amaxNumber().doubleValue();
        assertTrue(
            diff <= 1e-3 * scale + 1e-6,
            name + ": the SGD updates differ by " + diff + " where the largest is " + scale);
      }
    }
  }

  private static void lossFalls(
      Workload anygraph, BiFunction<Map<String, INDArray>, Double, Workload> peer, int batch) {
    INDArray[] xs = {pixels(batch, 11), pixels(batch, 12)};
    INDArray[] ys = {digits(batch, 13), digits(batch, 14)};
    try (anygraph;
        Workload tf = peer.apply(anygraph.parameters(), LR)) {
      for (Workload w : new Workload[] {anygraph, tf}) {
        double before = w.loss(xs[0], ys[0]);
        for (int step = 0; step < 10; step++) {
          w.step(xs[step % 2], ys[step % 2]);
        }
        double after = w.loss(xs[0], ys[0]);
        assertTrue(after < 0.8 * before, w.name() + ": loss " + before + " -> " + after);
      }
    }
  }

  /** Uniform [0, 1) float32 "images", [n, 784]. */
  private static INDArray pixels(int n, long seed) {
    return Nd4j.rand(seed, new long[] {n, 784}).castTo(DataType.FLOAT);
  }

  /** Labels 0..9, [n] int32. */
  private static INDArray digits(int n, long seed) {
    INDArray u = Nd4j.rand(seed, new long[] {n});
    return u.muli(10).castTo(DataType.INT).castTo(DataType.INT);
  }
}
