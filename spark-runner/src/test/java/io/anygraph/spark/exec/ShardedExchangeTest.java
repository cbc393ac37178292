package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Optimizer;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Exchange;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sharded exchange (reduce-scatter by a shuffle, the optimizer applied per parameter slice on
 * the executors) on {@code local[2]} with 2 and 3 unequal blocks, and on {@code local[3]}: the
 * local runner's parameters and optimizer state within 1e-5, bit-identical from run to run, and no
 * gradient bytes at the driver. ({@link RingExchangeTest} reuses its net and helpers.)
 */
class ShardedExchangeTest {
  private static final long SEED = 7;
  private static final int BATCH = 64;

  /** The layers of {@link SparkRunnerTest#net()} trained by {@code optimizer}. */
  record Net(Graph g, Tensor x, Tensor y, Tensor train, Tensor loss, Tensor probabilities) {}

  static Net net(Supplier<Optimizer> optimizer) {
    return net(optimizer, 16);
  }

  /** The net with {@code hidden} units: 5·h + h + 3·h parameters. */
  static Net net(Supplier<Optimizer> optimizer, int hidden) {
    Graph g = new Graph();
    g.setSeed(21);
    Tensor x;
    Tensor y;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
      y = g.placeholder(DType.INT32, Shape.of(-1), "y");
    }
    Variable w1 = g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, hidden), 0, 0.5), "w1");
    Variable b1 = g.variable(g.ops().zeros(DType.FLOAT32, hidden), "b1");
    Variable w2 = g.variable(g.random().normal(DType.FLOAT32, Shape.of(hidden, 3), 0, 0.5), "w2");
    Tensor logits = g.nn().relu(g.nn().biasAdd(x.matmul(w1), b1)).matmul(w2);
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, y).mean();
    Tensor train = optimizer.get().minimize(loss);
    return new Net(g, x, y, train, loss, g.nn().softmax(logits));
  }

  /** Every variable of the graph (parameters and optimizer state) by name. */
  static Map<String, INDArray> variables(Session sess, Graph g) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Variable v : g.variables()) {
      out.put(v.name(), sess.run(v).dup());
    }
    return out;
  }

  static Map<String, INDArray> trainLocally(Supplier<Optimizer> opt, Dataset d, int steps) {
    Net n = net(opt);
    try (Session sess = new Session(n.g(), new LocalRunner(n.g()))) {
      sess.initializeAllVariables();
      Iterator<Batch> batches = d.shuffled(SEED).batches(BATCH).iterator();
      for (int s = 0; s < steps; s++) {
        Batch b = batches.next();
        sess.run(List.of(n.train(), n.loss()), Map.of(n.x(), b.features(), n.y(), b.labels()));
      }
      return variables(sess, n.g());
    }
  }

  private static SparkRunner sharded(Net n, JavaSparkContext sc, Dataset d, int... blocks) {
    return new SparkRunner(n.g(), sc)
        .bind(ShardedData.of(sc, d, blocks), Map.of("features", n.x(), "labels", n.y()))
        .exchange(Exchange.SHARDED);
  }

  private static Map<String, INDArray> trainOnSpark(
      Supplier<Optimizer> opt, Dataset d, int steps, int... blocks) {
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(opt);
    SparkRunner runner = sharded(n, sc, d, blocks);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < steps; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      assertEquals(List.of(), runner.exchangeNotices(), "the step ran sharded");
      return variables(sess, n.g());
    }
  }

  static void assertClose(Map<String, INDArray> want, Map<String, INDArray> got) {
    assertEquals(want.keySet(), got.keySet());
    for (String name : want.keySet()) {
      double diff = want.get(name).sub(got.get(name)).amaxNumber().doubleValue();
      assertTrue(diff <= 1e-5, name + " differs by " + diff);
    }
  }

  @Test
  void adamAndSgdOnUnequalBlocksEqualTheLocalRunner() {
    Dataset d = SparkRunnerTest.data(300, 5);
    List<Supplier<Optimizer>> optimizers =
        List.of(() -> new Adam(0.01), () -> new GradientDescent(0.5));
    for (Supplier<Optimizer> opt : optimizers) {
      Map<String, INDArray> local = trainLocally(opt, d, 4);
      assertClose(local, trainOnSpark(opt, d, 4, 170, 130));
      assertClose(local, trainOnSpark(opt, d, 4, 120, 100, 80));
    }
  }

  @Test
  void onLocal3TheSparkConfigurationKeyChoosesShardedAndMatchesTheLocalRunner() {
    Dataset d = SparkRunnerTest.data(300, 5);
    Map<String, INDArray> local = trainLocally(() -> new Adam(0.01), d, 4);
    LocalSpark.stop(); // a JVM has one Spark context: this test starts its own
    SparkSession spark =
        SparkSetup.session(
            SparkSetup.conf("exchange-local3")
                .setMaster("local[3]")
                .set("spark.ui.enabled", "false")
                .set(Exchange.CONF_KEY, "sharded"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Net n = net(() -> new Adam(0.01));
      SparkRunner runner =
          new SparkRunner(n.g(), sc)
              .bind(
                  ShardedData.of(sc, d, 120, 100, 80), Map.of("features", n.x(), "labels", n.y()));
      assertEquals(Exchange.SHARDED, runner.exchange());
      try (Session sess = new Session(n.g(), runner)) {
        sess.initializeAllVariables();
        for (int s = 0; s < 4; s++) {
          runner.select(SEED, BATCH, s);
          sess.run(List.of(n.train(), n.loss()), Map.of());
        }
        assertEquals(0, runner.driverBytes().boundaries());
        assertClose(local, variables(sess, n.g()));
      }
    } finally {
      LocalSpark.stop();
      spark.stop();
    }
  }

  @Test
  void theSameBlocksGiveBitIdenticalVariablesFromRunToRun() {
    Dataset d = SparkRunnerTest.data(300, 5);
    Map<String, INDArray> first = trainOnSpark(() -> new Adam(0.01), d, 3, 120, 100, 80);
    Map<String, INDArray> second = trainOnSpark(() -> new Adam(0.01), d, 3, 120, 100, 80);
    for (String name : first.keySet()) {
      assertArrayEquals(
          first.get(name).dup('c').data().asFloat(),
          second.get(name).dup('c').data().asFloat(),
          name + " is not bit-identical between two runs");
    }
  }

  @Test
  void optimizerStateIsGatheredWhenReadAndTrainingGoesOnFromIt() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = sharded(n, sc, d, 170, 130);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 4; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
        if (s == 1) { // Adam's m and v live on the executors: reading them gathers the slices
          assertClose(trainLocally(() -> new Adam(0.01), d, 2), variables(sess, n.g()));
        }
      }
      assertClose(trainLocally(() -> new Adam(0.01), d, 4), variables(sess, n.g()));
    }
  }

  @Test
  void theDriverReceivesNeitherParametersNorGradients() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    long paramBytes = 4L * (5 * 16 + 16 + 16 * 3); // float32 w1, b1, w2
    for (Exchange e : List.of(Exchange.TREE, Exchange.SHARDED)) {
      Net n = net(() -> new Adam(0.01));
      SparkRunner runner = sharded(n, sc, d, 120, 100, 80).exchange(e);
      try (Session sess = new Session(n.g(), runner)) {
        sess.initializeAllVariables();
        runner.select(SEED, BATCH, 0);
        sess.run(List.of(n.train(), n.loss()), Map.of());
        DriverBytes b = runner.driverBytes();
        if (e == Exchange.TREE) { // the three gradients and the loss's partial sum
          assertTrue(b.boundaries() >= paramBytes, "tree: " + b.boundaries());
          assertEquals(0, b.results());
        } else { // beta1/beta2 powers, the loss and train's bool: no parameter
          assertEquals(0, b.boundaries(), "sharded: no gradient reaches the driver");
          assertEquals(4 + 4 + 4 + 1, b.results());
          assertTrue(b.sent() >= paramBytes, "the first step cuts slices on the driver");
        }
      }
    }
  }

  /** Driver bytes in and out of step 2 (of 0, 1, 2) for the net with {@code hidden} units. */
  private static long[] driverBytesOfStep2(Exchange e, int hidden) {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(() -> new Adam(0.01), hidden);
    SparkRunner runner = sharded(n, sc, d, 120, 100, 80).exchange(e);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 3; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      return new long[] {runner.driverBytes().received(), runner.driverBytes().sent()};
    }
  }

  @Test
  void shardedDriverBytesPerStepDoNotGrowWithTheModel() {
    long[] small = driverBytesOfStep2(Exchange.SHARDED, 16); // 144 parameters
    long[] large = driverBytesOfStep2(Exchange.SHARDED, 160); // 1,440 parameters
    // in: the loss, beta1/beta2 powers (float32) and train's bool; out: the global batch size
    // (an int64 the driver stage's mean divides by): no parameter, no broadcast of them
    assertArrayEquals(new long[] {4 + 4 + 4 + 1, 8}, small);
    assertArrayEquals(small, large, "sharded driver bytes grew with the model");
    long[] treeSmall = driverBytesOfStep2(Exchange.TREE, 16);
    long[] treeLarge = driverBytesOfStep2(Exchange.TREE, 160);
    long params = 4L * (5 + 1 + 3); // float32 bytes per hidden unit
    assertTrue(treeSmall[0] >= 16 * params && treeSmall[1] >= 16 * params, "tree: gradients in");
    assertTrue(treeLarge[0] >= 160 * params && treeLarge[1] >= 160 * params, "and params out");
  }

  @Test
  void arraysFedFromTheDriverTrainShardedAsTheLocalRunner() {
    Dataset d = SparkRunnerTest.data(300, 5);
    Map<String, INDArray> local = trainLocally(() -> new Adam(0.01), d, 3);
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = new SparkRunner(n.g(), LocalSpark.context()).exchange(Exchange.SHARDED);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      Iterator<Batch> batches = d.shuffled(SEED).batches(BATCH).iterator();
      for (int s = 0; s < 3; s++) {
        Batch b = batches.next();
        sess.run(List.of(n.train(), n.loss()), Map.of(n.x(), b.features(), n.y(), b.labels()));
        assertEquals(0, runner.driverBytes().boundaries());
      }
      assertEquals(List.of(), runner.exchangeNotices(), "the step ran sharded");
      assertClose(local, variables(sess, n.g()));
    }
  }

  @Test
  void aDriverStageThatIsNotElementwiseRunsAsTreeWithANotice() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = sharded(n, sc, d, 170, 130);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      runner.select(SEED, BATCH, 0);
      sess.run(List.of(n.train(), n.probabilities()), Map.of());
      assertEquals(1, runner.exchangeNotices().size());
      String notice = runner.exchangeNotices().get(0);
      assertTrue(notice.contains("runs as tree") && notice.contains("all-gather"), notice);
    }
  }

  @Test
  void anUnknownExchangeFailsBeforeAnyJob() {
    IllegalArgumentException typo =
        assertThrows(IllegalArgumentException.class, () -> Exchange.parse("shard"));
    assertTrue(typo.getMessage().contains("Unknown exchange 'shard'"), typo.getMessage());
  }
}
