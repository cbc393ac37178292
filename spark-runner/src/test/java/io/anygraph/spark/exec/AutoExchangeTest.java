package io.anygraph.spark.exec;

import static io.anygraph.spark.exec.ShardedExchangeTest.assertClose;
import static io.anygraph.spark.exec.ShardedExchangeTest.net;
import static io.anygraph.spark.exec.ShardedExchangeTest.trainLocally;
import static io.anygraph.spark.exec.ShardedExchangeTest.variables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.train.Adam;
import io.anygraph.data.Dataset;
import io.anygraph.partition.Plan;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.cost.LinkConstants;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedExchangeTest.Net;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@code auto} on {@code local[2]} (and {@code local[3]}) with cluster constants given on paper:
 * the step runs with the strategy the model predicts fastest among those the plan and the cluster
 * allow, and the forecast says why.
 */
class AutoExchangeTest {
  /**
   * A slow driver link, free executor links and a 1 s stage: with three tasks, ring's one copy to
   * the driver (and its second stage) beats tree's three copies and sharded's two stages; with two
   * tasks tree's two copies win (ring = tree − one copy + a stage, sharded = two stages: at N = 2
   * the ring is never fastest).
   */
  private static final LinkConstants SLOW_DRIVER =
      new LinkConstants(0.01, 1.0, 0, 0, 1e3, 1e12, 1e12);

  /** 10 Gbit/s everywhere but a 1 s hop: ring's 2(N−1) hops lose, one stage beats two. */
  private static final LinkConstants SLOW_HOPS = LinkConstants.network(0.01, 0, 1.0, 10);

  private static SparkRunner auto(Net n, JavaSparkContext sc, Dataset d, int... blocks) {
    return new SparkRunner(n.g(), sc)
        .bind(ShardedData.of(sc, d, blocks), Map.of("features", n.x(), "labels", n.y()))
        .exchange(Exchange.AUTO);
  }

  /** Four Adam steps under {@code auto} with constants {@code c}: what the last step ran. */
  private static Exchange trainAuto(JavaSparkContext sc, LinkConstants c, int... blocks) {
    Dataset d = SparkRunnerTest.data(300, 5);
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = auto(n, sc, d, blocks).linkConstants(c);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 4; s++) {
        runner.select(7, 64, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      assertClose(trainLocally(() -> new Adam(0.01), d, 4), variables(sess, n.g()));
      return runner.lastStepExchange();
    }
  }

  @Test
  void autoRunsTheStrategyTheModelPredictsFastest() {
    JavaSparkContext sc = LocalSpark.context();
    assertEquals(Exchange.TREE, trainAuto(sc, SLOW_HOPS, 170, 130));
    assertEquals(Exchange.TREE, trainAuto(sc, SLOW_DRIVER, 170, 130));
  }

  @Test
  void autoRunsTheRingOnThreeTasksWhenTheDriverLinkIsSlow() {
    LocalSpark.stop(); // a JVM has one Spark context: three task slots for the ring's 3 tasks
    SparkSession spark =
        SparkSetup.session(
            SparkSetup.conf("auto-local3").setMaster("local[3]").set("spark.ui.enabled", "false"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      assertEquals(Exchange.RING, trainAuto(sc, SLOW_DRIVER, 120, 100, 80));
    } finally {
      spark.stop();
      LocalSpark.stop();
    }
  }

  @Test
  void theForecastPrintsEachPredictionAndLeavesOutWhatCannotRun() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner = auto(n, sc, d, 170, 130).linkConstants(SLOW_DRIVER);
    Set<Tensor> fed = Set.of(n.x(), n.y());
    Plan plan = runner.plan(List.of(n.train(), n.loss()), fed);
    // B: w1, b1, w2 gradients and the loss's partial sum; P: w1, b1, w2
    long b = 4L * (5 * 16 + 16 + 16 * 3 + 1);
    long p = 4L * (5 * 16 + 16 + 16 * 3);
    ExchangeForecast two = runner.forecast(plan, 2);
    assertEquals(b, two.gradientBytes());
    assertEquals(p, two.parameterBytes());
    // ring: 0.01 + the second stage 1.0 + 0 hops + 2·(1/2)·B/1e12 + B/1e12 (the shuffle to the
    // second stage) + B/1e3 + P/1e12 = 1.59 s; tree 0.01 + 2·B/1e3 = 1.17 s
    assertEquals(
        0.01 + 1.0 + 2 * b / 1e12 + b / 1e3 + p / 1e12, two.seconds().get(Exchange.RING), 1e-12);
    String text = two.explain();
    assertTrue(text.contains("ring") && text.contains("auto chooses tree"), text);
    // three tasks on two slots: ring cannot run, so auto picks among tree and sharded
    ExchangeForecast three = runner.forecast(plan, 3);
    assertEquals(Set.of(Exchange.TREE, Exchange.SHARDED), three.seconds().keySet());
    assertTrue(three.ruledOut().get(Exchange.RING).contains("3 tasks"), three.explain());
    // tree 0.01 + 3·580/1e3 = 1.75 s; sharded 0.01 + 2 × 1.0 (two shuffle stages) + links ≈ 2.01 s
    assertEquals(0.01 + 3 * b / 1e3 + p / 1e12, three.seconds().get(Exchange.TREE), 1e-12);
    assertEquals(
        0.01 + 2.0 + 2.0 / 3 * (b + p) / 1e12, three.seconds().get(Exchange.SHARDED), 1e-12);
    assertEquals(Exchange.TREE, three.choice(), three.explain());
    // with a driver ten times slower still, the two stages of sharded cost less than tree's sums
    LinkConstants slower = new LinkConstants(0.01, 1.0, 0, 0, 1e2, 1e12, 1e12);
    runner.linkConstants(slower);
    assertEquals(Exchange.SHARDED, runner.forecast(plan, 3).choice());
  }
}
