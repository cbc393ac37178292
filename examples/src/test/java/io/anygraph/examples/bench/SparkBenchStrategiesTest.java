package io.anygraph.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.spark.exchange.Exchange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Spark contenders {@code bench --only spark} times for its options. */
class SparkBenchStrategiesTest {
  private static List<String> labels(Exchange e, int stepsPerJob) {
    return SparkBench.strategies(e, stepsPerJob).stream().map(SparkBench.Strategy::label).toList();
  }

  @Test
  void everyExchangeAndRingWithFourAndSixteenStepsPerJobByDefault() {
    assertEquals(List.of("tree", "sharded", "ring", "ring x4", "ring x16"), labels(null, 0));
  }

  @Test
  void oneExchangeAloneAndRingWithItsGroups() {
    assertEquals(List.of("tree"), labels(Exchange.TREE, 0));
    assertEquals(List.of("ring", "ring x4", "ring x16"), labels(Exchange.RING, 0));
  }

  @Test
  void stepsPerJobGivenIsTimedAgainstRingAlone() {
    assertEquals(List.of("ring", "ring x8"), labels(null, 8));
    assertEquals(List.of("ring", "ring x8"), labels(Exchange.RING, 8));
    assertEquals(List.of("ring"), labels(Exchange.RING, 1));
  }
}
