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
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synchronous batch normalization: a conv → batch norm → relu → dense → softmax loss step on 2 and
 * 3 logical devices, with unequal shards (7 rows: 4+3 and 3+2+2; 8 rows: 3+3+2), normalizes every
 * shard's rows with the statistics of the whole batch, all-reduced between worker stages. Loss,
 * every gradient and every updated variable (the moving averages too) equal the one-device values,
 * and a batch norm alone matches its formula worked out here in plain Java.
 */
class SyncBatchNormTest {
  private static final double MOMENTUM = 0.9;
  private static final double EPSILON = 1e-3;

  /** The network, its sharded inputs, the training step, and what is compared. */
  record Net(
      Graph g,
      Tensor x,
      Tensor y,
      Tensor train,
      Tensor loss,
      List<Tensor> grads,
      List<Tensor> vars) {}

  static Net net(DType dt) {
    Graph g = new Graph();
    g.setSeed(21);
    Tensor x;
    Tensor y;
    try (Scope s = g.sharded()) {
      x = g.placeholder(dt, Shape.of(-1, 5, 5, 2), "x");
      y = g.placeholder(dt, Shape.of(-1, 3), "y");
    }
    Variable filter = g.variable(g.random().normal(dt, Shape.of(3, 3, 2, 4), 0, 0.5), "filter");
    BatchNorm bn = new BatchNorm(g, "bn", dt, Shape.of(4), new int[] {0, 1, 2}, MOMENTUM, EPSILON);
    Variable w = g.variable(g.random().normal(dt, Shape.of(5 * 5 * 4, 3), 0, 0.2), "w");
    Tensor conv = g.nn().conv2d(x, filter, new long[] {1, 1, 1, 1}, "SAME");
    Tensor h = g.nn().relu(bn.apply(conv, true)).reshape(-1, 5 * 5 * 4);
    Tensor loss = g.nn().softmaxCrossEntropyWithLogits(h.matmul(w), y).mean();
    List<Tensor> trainable = List.of(filter, bn.gamma(), bn.beta(), w);
    List<Tensor> grads = g.grad(loss, trainable);
    List<Tensor> step = new ArrayList<>(bn.updateOps());
    step.add(new GradientDescent(0.5).minimize(loss));
    List<Tensor> vars = new ArrayList<>(trainable);
    vars.addAll(List.of(bn.movingMean(), bn.movingVariance()));
    return new Net(g, x, y, g.ops().group(step), loss, grads, vars);
  }

  /** Loss and gradients before a step, then every variable after two steps, as doubles. */
  private static List<INDArray> train(DType dt, int devices, int rows) {
    Net n = net(dt);
    List<INDArray> out = new ArrayList<>();
    try (Session sess = new Session(n.g(), new LocalRunner(n.g(), LocalOptions.cpus(devices)))) {
      sess.initializeAllVariables();
      Map<Tensor, INDArray> feeds = feeds(n, dt, rows, 1);
      List<Tensor> first = new ArrayList<>(List.of(n.loss()));
      first.addAll(n.grads());
      sess.run(first, feeds).forEach(v -> out.add(v.castTo(DataType.DOUBLE)));
      sess.run(n.train(), feeds);
      sess.run(n.train(), feeds(n, dt, rows, 2));
      for (Tensor v : n.vars()) {
        out.add(sess.run(v).castTo(DataType.DOUBLE));
      }
    }
    return out;
  }

  /** Images with a mean well away from 0 and one-hot labels. */
  private static Map<Tensor, INDArray> feeds(Net n, DType dt, int rows, long seed) {
    Random r = new Random(seed);
    double[] img = new double[rows * 5 * 5 * 2];
    for (int i = 0; i < img.length; i++) {
      img[i] = 3 * r.nextDouble() + 0.5;
    }
    double[][] labels = new double[rows][3];
    for (double[] l : labels) {
      l[r.nextInt(3)] = 1;
    }
    return Map.of(
        n.x(),
        Nd4j.createFromArray(img).reshape(rows, 5, 5, 2).castTo(dt.nd4j()),
        n.y(),
        Nd4j.createFromArray(labels).castTo(dt.nd4j()));
  }

  @ParameterizedTest
  @CsvSource({"FLOAT64, 2, 7", "FLOAT64, 3, 7", "FLOAT64, 3, 8", "FLOAT32, 2, 7", "FLOAT32, 3, 8"})
  void lossGradientsAndUpdatedVariablesEqualTheOneDeviceValues(DType dt, int devices, int rows) {
    double tolerance = dt == DType.FLOAT64 ? 1e-10 : 1e-5;
    List<INDArray> one = train(dt, 1, rows);
    List<INDArray> many = train(dt, devices, rows);
    assertEquals(1 + 4 + 6, one.size());
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i).shapeInfoToString(), many.get(i).shapeInfoToString());
      double diff = one.get(i).sub(many.get(i)).amaxNumber().doubleValue();
      assertTrue(
          diff <= tolerance,
          "value " + i + " differs by " + diff + " on " + devices + " devices, " + rows + " rows");
    }
    INDArray movingMean = one.get(1 + 4 + 4);
    assertTrue(movingMean.amaxNumber().doubleValue() > 0.05, "the moving mean moved " + movingMean);
    Net n = net(dt);
    Plan plan =
        new LocalRunner(n.g(), LocalOptions.cpus(devices))
            .plan(List.of(n.train(), n.loss()), Set.of(n.x(), n.y()));
    assertTrue(plan.workers().size() > 2, plan.explain());
    assertTrue(!plan.explain().contains("all-gather"), "no rows gathered: " + plan.explain());
  }

  @ParameterizedTest
  @CsvSource({"FLOAT64, 2", "FLOAT64, 3", "FLOAT32, 3"})
  void aBatchNormOnShardsMatchesItsFormulaOverTheWholeBatch(DType dt, int devices) {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(dt, Shape.of(-1, 3), "x");
    }
    BatchNorm bn = new BatchNorm(g, "bn", dt, Shape.of(3), new int[] {0}, MOMENTUM, EPSILON);
    Tensor y = bn.apply(x, true);
    Tensor step = g.ops().group(bn.updateOps());
    double[][] v = {{1, -2, 5}, {2, 0, 7}, {4, 1, 5}, {0, 3, 6}, {8, -1, 9}, {3, 2, 4}, {5, 5, 5}};
    double[][] expected = new double[7][3];
    double[] mean = new double[3];
    double[] var = new double[3];
    for (int j = 0; j < 3; j++) {
      for (double[] row : v) {
        mean[j] += row[j] / 7;
      }
      for (double[] row : v) {
        var[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / 7; // biased, as TensorFlow's
      }
      for (int i = 0; i < 7; i++) {
        expected[i][j] = (v[i][j] - mean[j]) / Math.sqrt(var[j] + EPSILON); // gamma 1, beta 0
      }
    }
    double tolerance = dt == DType.FLOAT64 ? 1e-10 : 1e-5;
    try (Session sess = new Session(g, new LocalRunner(g, LocalOptions.cpus(devices)))) {
      sess.initializeAllVariables();
      Map<Tensor, INDArray> feed = Map.of(x, Nd4j.createFromArray(v).castTo(dt.nd4j()));
      List<INDArray> out = sess.run(List.of(y, step), feed);
      assertClose(Nd4j.createFromArray(expected), out.get(0), tolerance, "normalized rows");
      double[] movingMean = new double[3];
      double[] movingVar = new double[3];
      for (int j = 0; j < 3; j++) {
        movingMean[j] = (1 - MOMENTUM) * mean[j]; // from 0
        movingVar[j] = MOMENTUM + (1 - MOMENTUM) * var[j]; // from 1
      }
      assertClose(
          Nd4j.createFromArray(movingMean), sess.run(bn.movingMean()), tolerance, "moving mean");
      assertClose(
          Nd4j.createFromArray(movingVar), sess.run(bn.movingVariance()), tolerance, "moving var");
    }
  }

  private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    INDArray a = actual.castTo(DataType.DOUBLE);
    assertEquals(expected.length(), a.length(), what);
    double diff = expected.reshape(a.shape()).sub(a).amaxNumber().doubleValue();
    assertTrue(diff <= tol, what + " differs by " + diff + ": " + a);
  }
}
