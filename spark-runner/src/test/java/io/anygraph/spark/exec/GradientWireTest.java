package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.anygraph.data.Dataset;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.Wire;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradients on a 16-bit wire with error feedback, on {@code local[2]} with 3 unequal blocks and on
 * {@code local[3]}: off by default and then bit-identical to float32; on, the gradient bytes at the
 * driver ({@code tree}) and in the reduce-scatter's shuffle ({@code sharded}) halve, and the
 * parameters stay within a bound derived below of float32's, the same from run to run.
 */
class GradientWireTest {
  private static final long SEED = 7;
  private static final int BATCH = 64;
  private static final int STEPS = 12;
  private static final double RATE = 0.01;

  /**
   * A loss linear in {@code w}: sum(x·w) over the batch, so every gradient is the sum of the
   * batch's rows (in each column), whatever {@code w} is.
   */
  private record Linear(Graph g, Tensor x, Variable w, Tensor train) {
    static Linear of() {
      Graph g = new Graph();
      g.setSeed(11);
      Tensor x;
      try (Scope s = g.sharded()) {
        x = g.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
      }
      Variable w = g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 3), 0, 0.5), "w");
      Tensor train = new GradientDescent(RATE).minimize(x.matmul(w).sum());
      return new Linear(g, x, w, train);
    }
  }

  private static Dataset uniform(int n) {
    Random r = new Random(5);
    float[][] x = new float[n][5];
    for (float[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = r.nextFloat() * 2 - 1;
      }
    }
    return new Dataset(Nd4j.createFromArray(x), Nd4j.zeros(DataType.INT32, n));
  }

  /**
   * {@code w} after {@link #STEPS} steps of the linear model on {@code wire} (null: the runner's
   * default), as float32 values.
   */
  private static float[] trainLinear(
      JavaSparkContext sc, Exchange e, Wire wire, Dataset d, int... blocks) {
    Linear m = Linear.of();
    SparkRunner runner =
        new SparkRunner(m.g(), sc)
            .bind(ShardedData.of(sc, d, blocks), Map.of("features", m.x()))
            .exchange(e);
    if (wire != null) {
      runner.gradientWire(wire);
    }
    try (Session sess = new Session(m.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < STEPS; s++) {
        runner.select(SEED + s / 4, BATCH, s % 4); // 4 batches per epoch of 300
        sess.run(List.of(m.train()), Map.of());
      }
      assertEquals(List.of(), runner.exchangeNotices());
      assertEquals(e, runner.lastStepExchange());
      return sess.run(m.w()).dup('c').data().asFloat();
    }
  }

  /**
   * Two blocks: {@code treeAggregate} adds the task results on the driver in the order the tasks
   * finish, which is bit-reproducible for two (a + b = b + a), not for three.
   */
  @Test
  void offByDefaultAndThenBitIdenticalToFloat32() {
    JavaSparkContext sc = LocalSpark.context();
    Dataset d = uniform(300);
    assertEquals(Wire.FLOAT32, new SparkRunner(Linear.of().g(), sc).gradientWire());
    for (Exchange e : List.of(Exchange.TREE, Exchange.SHARDED)) {
      float[] unset = trainLinear(sc, e, null, d, 170, 130);
      assertArrayEquals(unset, trainLinear(sc, e, Wire.FLOAT32, d, 170, 130), e.label());
    }
  }

  /** 300 rows whose features are all {@code c}. */
  private static Dataset constant(float c) {
    float[][] x = new float[300][5];
    for (float[] row : x) {
      Arrays.fill(row, c);
    }
    return new Dataset(Nd4j.createFromArray(x), Nd4j.zeros(DataType.INT32, 300));
  }

  /**
   * The bound. The loss is linear in w, so the true gradient sum of step t, G_t = Σ_p g_{p,t}
   * (g_{p,t}: partition p's rows summed), does not depend on w, and SGD ends at w_0 − η Σ_t G_t.
   * With error feedback, partition p sends q_{p,t} = round(g_{p,t} + r_{p,t−1}) and keeps r_{p,t},
   * so Σ_t q_{p,t} = Σ_t g_{p,t} − r_{p,T}: the parameters differ from float32's by η Σ_p
   * |r_{p,T}|, however many steps ran. |r| is at most half a 16-bit step of |g + r|, which is at
   * most ε |g + r| with ε = 2^-8 for bfloat16 (8 significant bits) and 2^-11 for float16; every
   * feature is c, so Σ_p |g_p| = BATCH · c. So |Δw| ≤ η · ε · (1 + ε) · BATCH · c, plus float32
   * rounding of the two runs' updates (each step at most an ulp of |w| < 16 and of η·BATCH·c).
   *
   * <p>c is 1 + ε/2: then n · c (n rows, n < 256) is under half a 16-bit step above n and rounds
   * down to n every step; without feedback the runs would drift apart by η · T · BATCH · ε/2 (6
   * times the bound after 12 steps), so the test fails if the residual is not fed back.
   *
   * <p>Run to run, the same blocks give the same bits where float32 does: {@code sharded} (fixed
   * summation order) and {@code tree} on two blocks.
   */
  @Test
  void onTheParametersStayWithinTheDerivedBoundAndRepeatBitForBit() {
    JavaSparkContext sc = LocalSpark.context();
    for (Exchange e : List.of(Exchange.TREE, Exchange.SHARDED)) {
      int[] blocks = e == Exchange.TREE ? new int[] {170, 130} : new int[] {120, 100, 80};
      for (Wire wire : List.of(Wire.BFLOAT16, Wire.FLOAT16)) {
        double eps = wire == Wire.BFLOAT16 ? 0x1p-8 : 0x1p-11;
        float c = (float) (1 + eps / 2);
        Dataset d = constant(c);
        float[] exact = trainLinear(sc, e, Wire.FLOAT32, d, blocks);
        float[] got = trainLinear(sc, e, wire, d, blocks);
        double slack = STEPS * 2 * (Math.ulp(16f) + Math.ulp((float) (RATE * BATCH * c)));
        double bound = RATE * eps * (1 + eps) * BATCH * c + slack;
        double worst = 0;
        for (int i = 0; i < exact.length; i++) {
          assertTrue(Math.abs(exact[i]) < 16, "the slack assumes |w| < 16");
          worst = Math.max(worst, Math.abs(got[i] - exact[i]));
        }
        String what = e.label() + " " + wire.label() + ": differs by " + worst;
        assertTrue(worst <= bound, what + ", bound " + bound);
        assertTrue(worst > 0, what + ": the wire changed nothing?");
        assertArrayEquals(
            got, trainLinear(sc, e, wire, d, blocks), what + ": not the same run to run");
        if (e == Exchange.TREE) { // three blocks: within the bound too (sums in any order)
          float[] exact3 = trainLinear(sc, e, Wire.FLOAT32, d, 120, 100, 80);
          float[] got3 = trainLinear(sc, e, wire, d, 120, 100, 80);
          for (int i = 0; i < exact3.length; i++) {
            assertTrue(Math.abs(got3[i] - exact3[i]) <= bound, "tree on 3 blocks, " + what);
          }
        }
      }
    }
  }

  @Test
  void theRingSendsFloat32WithANotice() {
    JavaSparkContext sc = LocalSpark.context();
    Dataset d = uniform(300);
    float[] exact = trainLinear(sc, Exchange.TREE, Wire.FLOAT32, d, 170, 130);
    Linear m = Linear.of();
    SparkRunner runner =
        new SparkRunner(m.g(), sc)
            .bind(ShardedData.of(sc, d, 170, 130), Map.of("features", m.x()))
            .exchange(Exchange.RING)
            .gradientWire(Wire.BFLOAT16);
    try (Session sess = new Session(m.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < STEPS; s++) {
        runner.select(SEED + s / 4, BATCH, s % 4);
        sess.run(List.of(m.train()), Map.of());
      }
      assertEquals(Exchange.RING, runner.lastStepExchange());
      assertEquals(
          List.of("Gradient wire bf16 does not apply to the ring: it sends float32"),
          runner.exchangeNotices());
      assertEquals(4L * 5 * 3, runner.driverBytes().boundaries(), "w's gradient in float32");
      float[] got = sess.run(m.w()).dup('c').data().asFloat();
      for (int i = 0; i < got.length; i++) { // float32 sums, in the ring's order: within rounding
        assertEquals(exact[i], got[i], 1e-5, "w[" + i + "]");
      }
    }
  }

  /** The gradient bytes and the sharded reduce-scatter's shuffle bytes, on {@code local[3]}. */
  @Test
  void onLocal3TheGradientBytesHalveAtTheDriverAndInTheShuffle() {
    LocalSpark.stop(); // a JVM has one Spark context: this test starts its own
    SparkSession spark =
        SparkSetup.session(
            SparkSetup.conf("wire-local3")
                .setMaster("local[3]")
                .set("spark.ui.enabled", "false")
                .set("spark.shuffle.compress", "false") // bytes as serialized
                .set(Wire.CONF_KEY, "bf16"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Dataset d = SparkRunnerTest.data(300, 5);
      int hidden = 160;
      long params = 5L * hidden + hidden + hidden * 3L; // w1, b1, w2: the gradients
      // tree: the driver gets the gradients and the loss's partial sum (a float32 scalar)
      assertEquals(4 * params + 4, treeBoundaryBytes(sc, d, hidden, Wire.FLOAT32));
      assertEquals(2 * params + 4, treeBoundaryBytes(sc, d, hidden, null)); // the conf's bf16
      assertEquals(2 * params + 4, treeBoundaryBytes(sc, d, hidden, Wire.FLOAT16));
      // sharded: each of 3 tasks sends all its gradients, cut in 3 slices, through the shuffle
      WorkerShuffleBytes shuffle = WorkerShuffleBytes.listenTo(sc.sc());
      long wide = shardedShuffleBytes(sc, d, hidden, Wire.FLOAT32, shuffle);
      long narrow = shardedShuffleBytes(sc, d, hidden, Wire.BFLOAT16, shuffle);
      long saved = wide - narrow;
      long gradientHalf = 2 * params * 3 * STEPS; // 2 bytes per element, 3 tasks, every step
      // per piece (3 tasks x 3 slices) and gradient the float32 array also writes its dtype label
      // and a length (at most 16 bytes); each piece's three task times are variable-length longs
      // that differ from run to run (at most 2 bytes each either way)
      long framing = 16L * 3 * 3 * 3 * STEPS;
      long jitter = 2L * 3 * 3 * 3 * STEPS;
      assertTrue(
          saved >= gradientHalf - jitter && saved <= gradientHalf + framing + jitter,
          "shuffle bytes " + wide + " (fp32) and " + narrow + " (bf16): saved " + saved);
    } finally {
      LocalSpark.stop();
      spark.stop();
    }
  }

  private static SparkRunner runner(JavaSparkContext sc, ShardedExchangeTest.Net n, Dataset d) {
    return new SparkRunner(n.g(), sc)
        .bind(ShardedData.of(sc, d, 120, 100, 80), Map.of("features", n.x(), "labels", n.y()));
  }

  private static long treeBoundaryBytes(JavaSparkContext sc, Dataset d, int hidden, Wire wire) {
    ShardedExchangeTest.Net n = ShardedExchangeTest.net(() -> new Adam(0.01), hidden);
    SparkRunner runner = runner(sc, n, d).exchange(Exchange.TREE);
    if (wire != null) {
      runner.gradientWire(wire);
    }
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      runner.select(SEED, BATCH, 0);
      sess.run(List.of(n.train(), n.loss()), Map.of());
      return runner.driverBytes().boundaries();
    }
  }

  private static long shardedShuffleBytes(
      JavaSparkContext sc, Dataset d, int hidden, Wire wire, WorkerShuffleBytes shuffle) {
    ShardedExchangeTest.Net n = ShardedExchangeTest.net(() -> new Adam(0.01), hidden);
    SparkRunner runner = runner(sc, n, d).exchange(Exchange.SHARDED).gradientWire(wire);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      shuffle.reset();
      for (int s = 0; s < STEPS; s++) {
        runner.select(SEED + s / 4, BATCH, s % 4); // 4 batches per epoch of 300
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      assertEquals(0, runner.driverBytes().boundaries());
      return shuffle.total();
    }
  }
}
