package io.anygraph.spark.exec;

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
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.ship.ExecutorCache;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training steps on the embedded {@code local[2]} master, with examples in two blocks of unequal
 * size cached in the executors, give the local runner's parameters within 1e-5 (float32); fed
 * arrays are split, shipped and gathered back in order; a bad block fails the job with the
 * placeholder's name on the driver.
 */
class SparkRunnerTest {
  private static final long SEED = 7;
  private static final int BATCH = 64;

  /** A two-layer classifier of 5 features into 3 classes. */
  record Net(
      Graph g,
      Tensor x,
      Tensor y,
      Tensor train,
      Tensor loss,
      Tensor probabilities,
      List<Variable> params) {}

  static Net net() {
    Graph g = new Graph();
    g.setSeed(21);
    Tensor x;
    Tensor y;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
      y = g.placeholder(DType.INT32, Shape.of(-1), "y");
    }
    Variable w1 = g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 16), 0, 0.5), "w1");
    Variable b1 = g.variable(g.ops().zeros(DType.FLOAT32, 16), "b1");
    Variable w2 = g.variable(g.random().normal(DType.FLOAT32, Shape.of(16, 3), 0, 0.5), "w2");
    Tensor logits = g.nn().relu(g.nn().biasAdd(x.matmul(w1), b1)).matmul(w2);
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, y).mean();
    Tensor train = new Adam(0.01).minimize(loss);
    return new Net(g, x, y, train, loss, g.nn().softmax(logits), List.of(w1, b1, w2));
  }

  /** The net's placeholders bound to the blocks' columns. */
  static Map<String, Tensor> columns(Net n) {
    return Map.of("features", n.x(), "labels", n.y());
  }

  static Dataset data(int n, int features) {
    Random r = new Random(3);
    float[][] x = new float[n][features];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < features; j++) {
        x[i][j] = (float) r.nextGaussian();
      }
      y[i] = (x[i][0] > 0 ? 1 : 0) + (features > 1 && x[i][1] > 0.5 ? 1 : 0);
    }
    return new Dataset(Nd4j.createFromArray(x), Nd4j.createFromArray(y).castTo(DataType.INT32));
  }

  private static List<INDArray> values(Session sess, Net n) {
    List<INDArray> out = new ArrayList<>();
    n.params().forEach(v -> out.add(sess.run(v).castTo(DataType.DOUBLE)));
    return out;
  }

  private static List<INDArray> trainLocally(Dataset d, int steps) {
    Net n = net();
    try (Session sess = new Session(n.g(), new LocalRunner(n.g()))) {
      sess.initializeAllVariables();
      Iterator<Batch> batches = d.shuffled(SEED).batches(BATCH).iterator();
      for (int s = 0; s < steps; s++) {
        Batch b = batches.next();
        sess.run(List.of(n.train(), n.loss()), Map.of(n.x(), b.features(), n.y(), b.labels()));
      }
      return values(sess, n);
    }
  }

  @Test
  void stepsOnUnequalCachedBlocksEqualTheLocalRunner() {
    Dataset d = data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net();
    SparkRunner runner =
        new SparkRunner(n.g(), sc).bind(ShardedData.of(sc, d, 170, 130), columns(n));
    List<INDArray> spark;
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 4; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      spark = values(sess, n);
      assertEquals(4, runner.times().steps());
    }
    List<INDArray> local = trainLocally(d, 4);
    for (int i = 0; i < local.size(); i++) {
      double diff = local.get(i).sub(spark.get(i)).amaxNumber().doubleValue();
      assertTrue(diff <= 1e-5, "parameter " + i + " differs by " + diff);
    }
    assertTrue(local.get(0).sub(net0(n)).amaxNumber().doubleValue() > 1e-3, "training moved w1");
  }

  /** w1 as initialized, to check the steps changed it. */
  private static INDArray net0(Net n) {
    try (Session s = new Session(n.g(), new LocalRunner(n.g()))) {
      s.initializeAllVariables();
      return s.run(n.params().get(0)).castTo(DataType.DOUBLE);
    }
  }

  @Test
  void fedArraysAreSplitAcrossTasksAndGatheredBackInOrder() {
    Dataset d = data(37, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net();
    INDArray local;
    try (Session sess = new Session(n.g(), new LocalRunner(n.g()))) {
      sess.initializeAllVariables();
      local = sess.run(n.probabilities(), Map.of(n.x(), d.features()));
    }
    try (Session sess = new Session(n.g(), new SparkRunner(n.g(), sc))) {
      sess.initializeAllVariables();
      INDArray spark = sess.run(n.probabilities(), Map.of(n.x(), d.features()));
      assertArrayEquals(local.shape(), spark.shape());
      assertTrue(local.sub(spark).amaxNumber().doubleValue() < 1e-6, "rows come back in order");
    }
  }

  @Test
  void variablesAreBroadcastOnlyAfterTheyChangeAndTheStageIsBuiltOncePerExecutor() {
    Dataset d = data(120, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net();
    SparkRunner runner = new SparkRunner(n.g(), sc).bind(ShardedData.of(sc, d, 60, 60), columns(n));
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      Map<Object, Object> feeds = Map.of(n.x(), d.features());
      sess.run(n.probabilities(), feeds);
      sess.run(n.probabilities(), feeds);
      assertEquals(1, runner.variableBroadcasts(), "no variable changed between the two runs");
      ExecutorCache.clear();
      long builds = ExecutorCache.builds();
      for (int s = 0; s < 3; s++) {
        runner.select(SEED, 40, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      // local[2]: the executor is this JVM; one compiled stage, one variable state per version
      assertEquals(1 + 3, ExecutorCache.builds() - builds);
      assertEquals(1 + 3, runner.variableBroadcasts(), "the train step's plan, then each update");
      sess.run(n.probabilities(), feeds);
      assertEquals(1 + 3 + 1, runner.variableBroadcasts());
    }
  }

  @Test
  void aBlockThatDoesNotFitThePlaceholderFailsTheJobNamingIt() {
    JavaSparkContext sc = LocalSpark.context();
    Net n = net();
    SparkRunner runner =
        new SparkRunner(n.g(), sc).bind(ShardedData.of(sc, data(100, 4), 50, 50), columns(n));
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      runner.select(SEED, BATCH, 0);
      AnygraphException e =
          assertThrows(
              AnygraphException.class, () -> sess.run(List.of(n.train(), n.loss()), Map.of()));
      assertTrue(
          e.getMessage().contains("Feed for 'x' (placeholder, float32[?, 5])")
              && e.getMessage().contains("step 0")
              && e.getMessage().contains(", 4]"),
          e.getMessage());
    }
  }
}
