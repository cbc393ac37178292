package io.anygraph.local.plan;

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
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.common.PlanException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Model parallelism on logical devices: layers placed on cpu:0 and cpu:1 train exactly as on one
 * device, their values crossing through transfers; a failure on one device ends the run with that
 * failure instead of leaving the other waiting.
 */
class MultiDeviceTest {
  record Net(Graph g, Tensor x, Tensor y, Tensor train, Tensor loss, List<Variable> params) {}

  static Net twoLayers(boolean split) {
    Graph g = new Graph();
    g.setSeed(9);
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(-1, 4), "x");
    Tensor y = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "y");
    Variable w1;
    Variable w2;
    Tensor h;
    try (Scope s = g.device(split ? "cpu:1" : "")) {
      w1 = g.variable(g.random().normal(DType.FLOAT64, Shape.of(4, 6), 0, 0.5), "w1");
      h = g.nn().tanh(x.matmul(w1));
    }
    try (Scope s = g.device(split ? "cpu:0" : "")) {
      w2 = g.variable(g.random().normal(DType.FLOAT64, Shape.of(6, 2), 0, 0.5), "w2");
    }
    Tensor loss = h.matmul(w2).sub(y).square().mean();
    Tensor train = new Adam(0.05).minimize(loss);
    return new Net(g, x, y, train, loss, List.of(w1, w2));
  }

  private static List<INDArray> train(Net n, int devices) {
    INDArray x =
        Nd4j.createFromArray(new double[][] {{1, 0, -1, 2}, {0.5, 0.5, 0, -1}, {3, -2, 1, 0}});
    INDArray y = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {0.5, 0.5}});
    try (Session sess = new Session(n.g(), new LocalRunner(n.g(), LocalOptions.cpus(devices)))) {
      sess.initializeAllVariables();
      for (int i = 0; i < 3; i++) {
        sess.run(List.of(n.train(), n.loss()), Map.of(n.x(), x, n.y(), y));
      }
      List<INDArray> out = new ArrayList<>();
      n.params().forEach(v -> out.add(sess.run(v)));
      out.add(sess.run(n.loss(), Map.of(n.x(), x, n.y(), y)));
      return out;
    }
  }

  @Test
  void layersOnTwoDevicesTrainAsOnOne() {
    List<INDArray> one = train(twoLayers(false), 1);
    Net split = twoLayers(true);
    Plan plan =
        new LocalRunner(split.g(), LocalOptions.cpus(2))
            .plan(List.of(split.train(), split.loss()), Set.of(split.x(), split.y()));
    assertEquals(2, plan.driver().devices().size(), plan.explain());
    assertTrue(plan.explain().contains("send"), plan.explain());
    List<INDArray> two = train(split, 2);
    for (int i = 0; i < one.size(); i++) {
      double diff = one.get(i).sub(two.get(i)).amaxNumber().doubleValue();
      assertTrue(diff <= 1e-12, "value " + i + " differs by " + diff);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFailureOnOneDeviceEndsTheRunWithThatFailure() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT32, Shape.of(2), "a");
    Tensor q;
    try (Scope s = g.device("cpu:1")) {
      q = a.div(g.ops().zerosLike(a));
    }
    Tensor out;
    try (Scope s = g.device("cpu:0")) {
      out = q.add(a);
    }
    try (Session sess = new Session(g, new LocalRunner(g, LocalOptions.cpus(2)))) {
      ArithmeticException e =
          assertThrows(ArithmeticException.class, () -> sess.run(out, Map.of(a, new int[] {4, 6})));
      assertTrue(e.getMessage().contains("div"), e.getMessage());
      // the runner stays usable after a failed run
      assertEquals(
          List.of(8L, 12L).toString(),
          Arrays.toString(sess.run(a.add(a), Map.of(a, new int[] {4, 6})).toLongVector())
              .replace(" ", " "));
    }
  }

  @Test
  void aDeviceTheRunnerLacksIsRefusedBeforeAnythingRuns() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(2), "a");
    Tensor b;
    try (Scope s = g.device("cpu:3")) {
      b = a.neg();
    }
    try (Session sess = new Session(g, new LocalRunner(g, LocalOptions.cpus(2)))) {
      PlanException e =
          assertThrows(PlanException.class, () -> sess.run(b, Map.of(a, new float[] {1, 2})));
      assertTrue(e.getMessage().contains("cpu:3"), e.getMessage());
    }
    assertThrows(
        AnygraphException.class,
        () -> new Session(g).run(b, Map.of(a, new float[] {1, 2})),
        "one device by default: cpu:3 does not exist either");
  }
}
