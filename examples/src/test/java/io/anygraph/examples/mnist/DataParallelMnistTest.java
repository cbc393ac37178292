package io.anygraph.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Session;
import io.anygraph.core.Variable;
import io.anygraph.data.Batch;
import io.anygraph.data.Mnist;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MNIST training step (CNN, Adam) on 2 and 3 logical devices gives the one-device parameters
 * within 1e-5: 50 digits split 25+25 and 17+17+16.
 */
class DataParallelMnistTest {
  private static Batch batch;

  @BeforeAll
  static void load() throws IOException {
    batch = Mnist.load(Mnist.defaultDir()).train().take(50).batches(50).iterator().next();
  }

  private static List<INDArray> afterSteps(int devices, int steps) {
    MnistCnn m = new MnistCnn(11, 0.001);
    try (Session sess =
        new Session(m.graph, new LocalRunner(m.graph, LocalOptions.cpus(devices)))) {
      sess.initializeAllVariables();
      for (int s = 0; s < steps; s++) {
        sess.run(
            List.of(m.train, m.loss), Map.of(m.images, batch.features(), m.labels, batch.labels()));
      }
      List<INDArray> out = new ArrayList<>();
      for (Variable v : m.graph.variables()) {
        out.add(sess.run(v).castTo(DataType.DOUBLE));
      }
      out.add(
          sess.run(m.correct, Map.of(m.images, batch.features(), m.labels, batch.labels()))
              .castTo(DataType.DOUBLE));
      return out;
    }
  }

  @Test
  void oneStepOnTwoAndThreeDevicesEqualsOneDevice() {
    List<INDArray> one = afterSteps(1, 1);
    for (int devices : new int[] {2, 3}) {
      List<INDArray> many = afterSteps(devices, 1);
      for (int i = 0; i < one.size(); i++) {
        double diff = one.get(i).sub(many.get(i)).amaxNumber().doubleValue();
        assertTrue(
            diff <= 1e-5, "variable " + i + " differs by " + diff + " on " + devices + " devices");
      }
    }
  }

  @Test
  void thePlanAllReducesEachGradientOnce() {
    MnistCnn m = new MnistCnn(1, 0.001);
    Plan plan =
        new LocalRunner(m.graph, LocalOptions.cpus(2))
            .plan(List.of(m.train, m.loss), Set.of(m.images, m.labels));
    long reduces =
        plan.boundaries().stream().filter(b -> b.kind() == Boundary.Kind.ALL_REDUCE).count();
    // six parameters (two conv filters and biases, dense weights and bias) and the loss's sum
    assertEquals(7, reduces, plan.explain());
    assertEquals(0, plan.boundaries().size() - reduces, plan.explain());
    assertTrue(plan.explain().contains("Stage 1: worker"), plan.explain());
  }
}
