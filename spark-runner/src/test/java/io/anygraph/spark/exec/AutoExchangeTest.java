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
import io.anygraph.spark.cost.LinkConstants;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedExchangeTest.Net;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * {@code auto} on {@code local[2]} with cluster constants given on paper: the step runs with the
 * strategy the model predicts fastest among those the plan and the cluster allow, and the forecast
 * says why.
 */
class AutoExchangeTest {
  /** A slow driver link and free executor links: ring's one copy to the driver wins. */
  private static final LinkConstants SLOW_DRIVER =
      new LinkConstants(0.01, 1.0, 0, 0, 1e3, 1e12, 1e12);

  /** 10 Gbit/s everywhere but a 1 s hop: ring's 2(N−1) hops lose, one stage beats two. */
  private static final LinkConstants SLOW_HOPS = LinkConstants.network(0.01, 0, 1.0, 10);

  private static SparkRunner auto(Net n, JavaSparkContext sc, Dataset d, int... blocks) {
    return new SparkRunner(n.g(), sc)
        .bind(ShardedData.of(sc, d, blocks), Map.of("features", n.x(), "labels", n.y()))
        .exchange(Exchange.AUTO);
  }

  @Test
  void autoRunsTheStrategyTheModelPredictsFastest() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    for (LinkConstants c : List.of(SLOW_DRIVER, SLOW_HOPS)) {
      Net n = net(() -> new Adam(0.01));
      SparkRunner runner = auto(n, sc, d, 170, 130).linkConstants(c);
      try (Session sess = new Session(n.g(), runner)) {
        sess.initializeAllVariables();
        for (int s = 0; s < 4; s++) {
          runner.select(7, 64, s);
          sess.run(List.of(n.train(), n.loss()), Map.of());
        }
        assertEquals(c == SLOW_DRIVER ? Exchange.RING : Exchange.TREE, runner.lastStepExchange());
        assertClose(trainLocally(() -> new Adam(0.01), d, 4), variables(sess, n.g()));
      }
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
    // ring: 0.01 + 0 hops + 2·(1/2)·B/1e12 + B/1e3 + P/1e12
    assertEquals(0.01 + b / 1e12 + b / 1e3 + p / 1e12, two.seconds().get(Exchange.RING), 1e-12);
    String text = two.explain();
    assertTrue(text.contains("ring") && text.contains("auto chooses ring"), text);
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
