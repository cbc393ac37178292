package io.anygraph.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layers' building blocks on a batch split over 2 and 3 logical devices (7 rows: 4+3, 3+2+2)
 * train exactly as on one device: batch normalization's statistics are global means over all shards
 * (a mean of the local shard would differ), and its moving averages, attention, layer
 * normalization, cumsum and topK follow the batch.
 */
class LayersDataParallelTest {
  /** A graph, its sharded inputs, the step, and the values compared after the steps. */
  record Model(Graph g, Tensor x, Tensor y, Tensor step, List<Tensor> compared) {}

  /** With batch normalization first (in later worker stages after it), or without. */
  static Model model(boolean batchNorm) {
    Graph g = new Graph();
    g.setSeed(11);
    Tensor x;
    Tensor y;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT64, Shape.of(-1, 4), "x");
      y = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "y");
    }
    BatchNorm bn =
        batchNorm
            ? new BatchNorm(g, "bn", DType.FLOAT64, Shape.of(4), new int[] {0}, 0.9, 1e-3)
            : null;
    Variable w = g.variable(g.random().normal(DType.FLOAT64, Shape.of(4, 6), 0, 1), "w");
    Variable gamma = g.variable(g.ops().fill(DType.FLOAT64, Shape.of(6), 1), "gamma");
    Variable beta = g.variable(g.ops().fill(DType.FLOAT64, Shape.of(6), 0), "beta");
    Tensor h = (batchNorm ? bn.apply(x, true) : x).matmul(w); // [batch, 6]
    Tensor seq = h.reshape(-1, 3, 2); // three positions of depth 2 per example
    Tensor keys = g.ops().greater(seq.sum(2), g.constant(-1.5, DType.FLOAT64)); // [batch, 3]
    Tensor mask = g.ops().expandDims(keys, 1); // [batch, 1, key]: padding-style key mask
    Tensor attended = g.nn().attention(seq, seq, seq, mask, true).reshape(-1, 6);
    Tensor normed = g.nn().layerNorm(attended, new int[] {-1}, gamma, beta, 1e-3);
    Tensor running = g.ops().cumsum(normed, 1, false, false);
    Tensor top = g.nn().topK(running, 2, true).get(0);
    Tensor loss = top.sub(y).square().mean();
    List<Tensor> step = new ArrayList<>(batchNorm ? bn.updateOps() : List.of());
    step.add(new GradientDescent(0.1).minimize(loss));
    List<Tensor> compared = new ArrayList<>(List.of(loss, w, gamma, beta));
    if (batchNorm) {
      compared.addAll(List.of(bn.gamma(), bn.beta(), bn.movingMean(), bn.movingVariance()));
    }
    return new Model(g, x, y, g.ops().group(step), compared);
  }

  private static List<INDArray> steps(int devices, boolean batchNorm) {
    Model m = model(batchNorm);
    try (Session sess = new Session(m.g(), new LocalRunner(m.g(), LocalOptions.cpus(devices)))) {
      sess.initializeAllVariables();
      for (int s = 0; s < 3; s++) {
        Map<Tensor, INDArray> feeds = Map.of(m.x(), uniform(10 + s, 4), m.y(), uniform(20 + s, 2));
        sess.run(m.step(), feeds);
      }
      Map<Tensor, INDArray> last = Map.of(m.x(), uniform(10, 4), m.y(), uniform(20, 2));
      List<INDArray> out = new ArrayList<>();
      for (Tensor t : m.compared()) {
        out.add(sess.run(t, last).castTo(DataType.DOUBLE));
      }
      return out;
    }
  }

  /** 7 rows in [-1, 3): unequal shards, and a mean well away from 0 for batch norm to remove. */
  static INDArray uniform(long seed, int cols) {
    Random r = new Random(seed);
    double[][] v = new double[7][cols];
    for (double[] row : v) {
      for (int j = 0; j < cols; j++) {
        row[j] = 4 * r.nextDouble() - 1;
      }
    }
    return Nd4j.createFromArray(v);
  }

  private static void assertSame(int devices, boolean batchNorm) {
    List<INDArray> one = steps(1, batchNorm);
    List<INDArray> many = steps(devices, batchNorm);
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i).shapeInfoToString(), many.get(i).shapeInfoToString());
      double diff = one.get(i).sub(many.get(i)).amaxNumber().doubleValue();
      assertTrue(
          diff <= 1e-10, "value " + i + " differs by " + diff + " on " + devices + " devices");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void batchStatisticsAreGlobalAndEveryBlockTrainsAsOnOneDevice(int devices) {
    assertSame(devices, true);
    // the step stays on the shards: worker stages end where the batch statistics are all-reduced
    Model m = model(true);
    Plan plan =
        new LocalRunner(m.g(), LocalOptions.cpus(devices))
            .plan(List.of(m.step()), Set.of(m.x(), m.y()));
    assertTrue(plan.workers().size() > 1, plan.explain());
    assertTrue(!plan.explain().contains("all-gather"), "nothing gathered: " + plan.explain());
    // the moving mean moved: 0.1 of three batch means, each near 1
    INDArray movingMean = steps(1, true).get(6);
    assertTrue(movingMean.amaxNumber().doubleValue() > 0.1, "moving mean " + movingMean);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void withoutBatchNormTheBlocksRunOnTheShardsAndTrainAsOnOneDevice(int devices) {
    assertSame(devices, false);
    Model m = model(false);
    Plan plan =
        new LocalRunner(m.g(), LocalOptions.cpus(devices))
            .plan(List.of(m.step()), Set.of(m.x(), m.y()));
    assertTrue(!plan.explain().contains("all-gather"), "nothing gathered: " + plan.explain());
  }
}
