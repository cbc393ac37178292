package io.anygraph.spark.exec;

import static io.anygraph.spark.exec.ShardedExchangeTest.assertClose;
import static io.anygraph.spark.exec.ShardedExchangeTest.net;
import static io.anygraph.spark.exec.ShardedExchangeTest.trainLocally;
import static io.anygraph.spark.exec.ShardedExchangeTest.variables;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Session;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Optimizer;
import io.anygraph.data.Dataset;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedExchangeTest.Net;
import io.anygraph.spark.ring.BarrierSupport;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ring exchange (the worker tasks as one barrier stage, their gradients summed by a ring
 * all-reduce over sockets) on {@code local[2]} and {@code local[3]} with unequal blocks: the local
 * runner's variables within 1e-5, bit-identical from run to run, one copy of the gradients at the
 * driver, and configurations Spark cannot run refused before any job.
 */
class RingExchangeTest {
  private static final long SEED = 7;
  private static final int BATCH = 64;

  private static Map<String, INDArray> trainOnRing(
      JavaSparkContext sc, Supplier<Optimizer> opt, Dataset d, int steps, int... blocks) {
    Net n = net(opt);
    SparkRunner runner =
        new SparkRunner(n.g(), sc)
            .bind(ShardedData.of(sc, d, blocks), Map.of("features", n.x(), "labels", n.y()))
            .exchange(Exchange.RING);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < steps; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      assertEquals(List.of(), runner.exchangeNotices(), "the step ran as ring");
      // task 0 sends the summed gradients of w1, b1, w2 and the loss's partial sum, once
      assertEquals(4L * (5 * 16 + 16 + 16 * 3 + 1), runner.driverBytes().boundaries());
      return variables(sess, n.g());
    }
  }

  @Test
  void adamAndSgdOnTwoUnequalBlocksEqualTheLocalRunner() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    for (Supplier<Optimizer> opt :
        List.<Supplier<Optimizer>>of(() -> new Adam(0.01), () -> new GradientDescent(0.5))) {
      assertClose(trainLocally(opt, d, 4), trainOnRing(sc, opt, d, 4, 170, 130));
    }
  }

  @Test
  void onLocal3WithTheConfigurationKeyThreeTasksMatchTheLocalRunnerBitIdenticallyTwice() {
    Dataset d = SparkRunnerTest.data(300, 5);
    Map<String, INDArray> adam = trainLocally(() -> new Adam(0.01), d, 4);
    Map<String, INDArray> sgd = trainLocally(() -> new GradientDescent(0.5), d, 4);
    LocalSpark.stop(); // a JVM has one Spark context: this test starts its own
    SparkSession spark =
        SparkSetup.session(
            SparkSetup.conf("ring-local3")
                .setMaster("local[3]")
                .set("spark.ui.enabled", "false")
                .set(Exchange.CONF_KEY, "ring"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      assertEquals(Exchange.RING, new SparkRunner(net(() -> new Adam(0.01)).g(), sc).exchange());
      Map<String, INDArray> first = trainOnRing(sc, () -> new Adam(0.01), d, 4, 120, 100, 80);
      Map<String, INDArray> second = trainOnRing(sc, () -> new Adam(0.01), d, 4, 120, 100, 80);
      assertClose(adam, first);
      assertClose(sgd, trainOnRing(sc, () -> new GradientDescent(0.5), d, 4, 120, 100, 80));
      for (String name : first.keySet()) {
        assertArrayEquals(
            first.get(name).dup('c').data().asFloat(),
            second.get(name).dup('c').data().asFloat(),
            name + " is not bit-identical between two runs");
      }
    } finally {
      spark.stop();
      LocalSpark.stop();
    }
  }

  @Test
  void moreTasksThanTaskSlotsIsRefusedBeforeAnyJob() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context(); // local[2]: two task slots
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner =
        new SparkRunner(n.g(), sc)
            .bind(ShardedData.of(sc, d, 120, 100, 80), Map.of("features", n.x(), "labels", n.y()))
            .exchange(Exchange.RING);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      runner.select(SEED, BATCH, 0);
      long jobsBefore = sc.sc().statusTracker().getJobIdsForGroup(null).length;
      AnygraphException e =
          assertThrows(
              AnygraphException.class, () -> sess.run(List.of(n.train(), n.loss()), Map.of()));
      assertEquals(
          "Exchange ring cannot run step [Adam/step:0, reduceMean:0]: the ring's barrier stage needs its 3"
              + " tasks running at once, and the cluster has 2 task slots (executor cores /"
              + " spark.task.cpus): use at most 2 partitions, or more cores",
          e.getMessage());
      assertEquals(jobsBefore, sc.sc().statusTracker().getJobIdsForGroup(null).length);
    }
  }

  @Test
  void dynamicAllocationRulesTheRingOut() {
    SparkConf conf = new SparkConf().set(BarrierSupport.DYNAMIC_ALLOCATION, "true");
    assertEquals(
        "dynamic allocation is on (spark.dynamicAllocation.enabled=true): Spark cannot run the"
            + " ring's barrier stage with it",
        BarrierSupport.whyNot(conf));
    assertEquals(null, BarrierSupport.whyNot(new SparkConf()));
  }
}
