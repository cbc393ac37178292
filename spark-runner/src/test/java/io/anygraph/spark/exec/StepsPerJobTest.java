package io.anygraph.spark.exec;

import static io.anygraph.spark.exec.ShardedExchangeTest.assertClose;
import static io.anygraph.spark.exec.ShardedExchangeTest.net;
import static io.anygraph.spark.exec.ShardedExchangeTest.trainLocally;
import static io.anygraph.spark.exec.ShardedExchangeTest.variables;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Session;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Optimizer;
import io.anygraph.data.Dataset;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedExchangeTest.Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Several training steps per Spark job (a barrier stage whose tasks all-reduce over the ring and
 * each apply the optimizer): the same variables and losses, bit for bit, as the same steps run one
 * job each under the ring exchange, the local runner's within 1e-5, on {@code local[2]} and {@code
 * local[3]} with unequal blocks and a partial last batch; fewer jobs; the driver's variables after
 * a group's first run; and the steps it cannot run refused before any job.
 */
class StepsPerJobTest {
  private static final long SEED = 7;
  private static final int BATCH = 64;
  private static final int STEPS = 5; // 300 examples: four batches of 64, then one of 44

  /** Variables after the steps, each step's loss, and the Spark jobs the steps took. */
  private record Trained(Map<String, INDArray> variables, List<Float> losses, int jobs) {}

  private static SparkRunner runner(Net n, JavaSparkContext sc, Dataset d, int... blocks) {
    return new SparkRunner(n.g(), sc)
        .bind(ShardedData.of(sc, d, blocks), Map.of("features", n.x(), "labels", n.y()))
        .exchange(Exchange.RING);
  }

  private static int jobs(JavaSparkContext sc) {
    return sc.sc().statusTracker().getJobIdsForGroup(null).length;
  }

  /** STEPS steps of the ring exchange, {@code k} per job (k = 1: one job per step). */
  private static Trained train(
      JavaSparkContext sc, Supplier<Optimizer> opt, Dataset d, int k, int... blocks) {
    Net n = net(opt);
    SparkRunner runner = runner(n, sc, d, blocks).stepsPerJob(k);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      List<Float> losses = new ArrayList<>();
      int before = jobs(sc);
      for (int s = 0; s < STEPS; s++) {
        runner.select(SEED, BATCH, s);
        losses.add(sess.run(List.of(n.train(), n.loss()), Map.of()).get(1).getFloat(0));
        if (k > 1
            && s % k != 0) { // a group's later step starts no job: no bytes through the driver
          assertEquals(
              0, runner.driverBytes().received() + runner.driverBytes().sent(), "step " + s);
        }
      }
      int jobs = jobs(sc) - before;
      assertEquals(Exchange.RING, runner.lastStepExchange());
      assertEquals(STEPS, runner.times().steps());
      return new Trained(variables(sess, n.g()), losses, jobs);
    }
  }

  private static void assertBitIdentical(Trained want, Trained got) {
    assertEquals(want.variables().keySet(), got.variables().keySet());
    for (String name : want.variables().keySet()) {
      assertArrayEquals(
          want.variables().get(name).dup('c').data().asFloat(),
          got.variables().get(name).dup('c').data().asFloat(),
          name + " is not bit-identical to the separate ring steps'");
    }
    assertEquals(want.losses(), got.losses(), "each step's loss, bit for bit");
  }

  @Test
  void groupsOnTwoUnequalBlocksEqualSeparateRingStepsBitForBitAndTheLocalRunner() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    for (Supplier<Optimizer> opt :
        List.<Supplier<Optimizer>>of(() -> new Adam(0.01), () -> new GradientDescent(0.5))) {
      Trained separate = train(sc, opt, d, 1, 170, 130);
      assertEquals(STEPS, separate.jobs());
      Trained fours = train(sc, opt, d, 4, 170, 130); // steps 0-3, then step 4 (the epoch's last)
      assertEquals(2, fours.jobs());
      assertBitIdentical(separate, fours);
      Trained all = train(sc, opt, d, 16, 170, 130); // one job: a group ends with the epoch
      assertEquals(1, all.jobs());
      assertBitIdentical(separate, all);
      assertClose(trainLocally(opt, d, STEPS), fours.variables());
    }
  }

  @Test
  void onLocal3TheConfigurationKeyGroupsThreeTasksLikeSeparateSteps() {
    Dataset d = SparkRunnerTest.data(300, 5);
    Map<String, INDArray> adam = trainLocally(() -> new Adam(0.01), d, STEPS);
    Map<String, INDArray> sgd = trainLocally(() -> new GradientDescent(0.5), d, STEPS);
    LocalSpark.stop(); // a JVM has one Spark context: this test starts its own
    SparkSession spark =
        SparkSetup.session(
            SparkSetup.conf("steps-per-job-local3")
                .setMaster("local[3]")
                .set("spark.ui.enabled", "false")
                .set(Exchange.CONF_KEY, "ring")
                .set(SparkRunner.STEPS_PER_JOB, "3"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      assertEquals(3, new SparkRunner(net(() -> new Adam(0.01)).g(), sc).stepsPerJob());
      for (Supplier<Optimizer> opt :
          List.<Supplier<Optimizer>>of(() -> new Adam(0.01), () -> new GradientDescent(0.5))) {
        Trained separate = train(sc, opt, d, 1, 120, 100, 80);
        Trained threes = trainConfigured(sc, opt, d, 120, 100, 80); // steps 0-2, then 3-4
        assertEquals(2, threes.jobs());
        assertBitIdentical(separate, threes);
      }
      assertClose(adam, trainConfigured(sc, () -> new Adam(0.01), d, 120, 100, 80).variables());
      assertClose(
          sgd, trainConfigured(sc, () -> new GradientDescent(0.5), d, 120, 100, 80).variables());
    } finally {
      spark.stop();
      LocalSpark.stop();
    }
  }

  /** As {@link #train}, with the exchange and steps per job from the configuration alone. */
  private static Trained trainConfigured(
      JavaSparkContext sc, Supplier<Optimizer> opt, Dataset d, int... blocks) {
    Net n = net(opt);
    SparkRunner runner =
        new SparkRunner(n.g(), sc)
            .bind(ShardedData.of(sc, d, blocks), Map.of("features", n.x(), "labels", n.y()));
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      List<Float> losses = new ArrayList<>();
      int before = jobs(sc);
      for (int s = 0; s < STEPS; s++) {
        runner.select(SEED, BATCH, s);
        losses.add(sess.run(List.of(n.train(), n.loss()), Map.of()).get(1).getFloat(0));
      }
      return new Trained(variables(sess, n.g()), losses, jobs(sc) - before);
    }
  }

  @Test
  void theDriverSeesTheGroupsLastStepAsSoonAsItsFirstRunReturns() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net separate = net(() -> new Adam(0.01));
    Map<String, INDArray> afterFour;
    SparkRunner one = runner(separate, sc, d, 170, 130);
    try (Session sess = new Session(separate.g(), one)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 4; s++) {
        one.select(SEED, BATCH, s);
        sess.run(List.of(separate.train(), separate.loss()), Map.of());
      }
      afterFour = variables(sess, separate.g());
    }
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = runner(n, sc, d, 170, 130).stepsPerJob(4);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      runner.select(SEED, BATCH, 0);
      sess.run(List.of(n.train(), n.loss()), Map.of());
      Map<String, INDArray> now = variables(sess, n.g()); // inside the group: after step 3
      for (String name : afterFour.keySet()) {
        assertArrayEquals(
            afterFour.get(name).dup('c').data().asFloat(),
            now.get(name).dup('c').data().asFloat(),
            name);
      }
      int before = jobs(sc);
      for (int s = 1; s < 4; s++) { // the group's other steps: recorded, no job
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      assertEquals(before, jobs(sc));
    }
  }

  @Test
  void writeVariableEndsTheGroupAndTheNextStepStartsANewOne() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(() -> new GradientDescent(0.5));
    SparkRunner runner = runner(n, sc, d, 170, 130).stepsPerJob(4);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      runner.select(SEED, BATCH, 0);
      sess.run(List.of(n.train(), n.loss()), Map.of());
      Variable w1 = n.g().variables().get(0);
      runner.writeVariable(w1, runner.readVariable(w1).mul(0));
      int before = jobs(sc);
      runner.select(SEED, BATCH, 1);
      sess.run(List.of(n.train(), n.loss()), Map.of());
      assertEquals(before + 1, jobs(sc), "a new group from the written values");
    }
  }

  @Test
  void stepsItCannotGroupAreRefusedBeforeAnyJob() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = runner(n, sc, d, 170, 130).exchange(Exchange.TREE).stepsPerJob(4);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      runner.select(SEED, BATCH, 0);
      int before = jobs(sc);
      AnygraphException tree =
          assertThrows(
              AnygraphException.class, () -> sess.run(List.of(n.train(), n.loss()), Map.of()));
      assertEquals(
          "Steps per job 4: step [Adam/step:0, reduceMean:0] cannot run several steps per job:"
              + " groups run with the ring exchange only, and this step runs as tree"
              + " (runner.exchange(Exchange.RING), or see runner.exchangeNotices()); use"
              + " stepsPerJob(1) for it",
          tree.getMessage());
      runner.exchange(Exchange.RING);
      AnygraphException rows =
          assertThrows(
              AnygraphException.class,
              () -> sess.run(List.of(n.train(), n.probabilities()), Map.of()));
      assertTrue(
          rows.getMessage()
              .startsWith(
                  "Steps per job 4: step [Adam/step:0, softmax:0] cannot run several steps per"
                      + " job: the driver stage cannot be applied per parameter slice: node"),
          rows.getMessage());
      assertEquals(before, jobs(sc), "no job ran");
      sess.run(List.of(n.train(), n.loss()), Map.of()); // steps 0-3 in one job
      runner.select(SEED, BATCH, 2);
      AnygraphException order =
          assertThrows(
              AnygraphException.class, () -> sess.run(List.of(n.train(), n.loss()), Map.of()));
      assertEquals(
          "Steps per job 4: steps 0 to 3 ran as one job, so the next training run must be step 1"
              + " (seed 7, batch 64) with fetches [Adam/step:0, reduceMean:0]; got step 2 with"
              + " fetches [Adam/step:0, reduceMean:0] (select the steps in order, select(seed,"
              + " batch, step, end) to end groups early, or writeVariable to start over)",
          order.getMessage());
    }
  }

  @Test
  void driverFeedsAreRefused() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = runner(n, sc, d, 170, 130).stepsPerJob(2);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      AnygraphException e =
          assertThrows(
              AnygraphException.class,
              () ->
                  sess.run(
                      List.of(n.train(), n.loss()),
                      Map.of(n.x(), d.features(), n.y(), d.labels())));
      assertEquals(
          "Steps per job 2: step [Adam/step:0, reduceMean:0] cannot run several steps per job:"
              + " every step of a group reads its rows from the bound data (bind, select), and"
              + " this step is fed [x:0, y:0] from the driver; use stepsPerJob(1) for it",
          e.getMessage());
    }
  }
}
