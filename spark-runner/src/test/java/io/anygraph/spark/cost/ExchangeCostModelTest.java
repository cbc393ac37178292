package io.anygraph.spark.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.spark.exchange.Exchange;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model's formulas against predictions worked out by hand. */
class ExchangeCostModelTest {
  /**
   * job 100 ms, stage 50 ms, barrier mode 20 ms, hop 1 ms, driver 100 MB/s, broadcast 200 MB/s,
   * links 50 MB/s.
   */
  private static final LinkConstants C = new LinkConstants(0.1, 0.05, 0.02, 0.001, 1e8, 2e8, 5e7);

  private static final double MB100 = 1e8;

  @Test
  void fourTasksOf100MegabytesFavourSharded() {
    // tree: 4 <= 2 + 2, no shuffle level: 0.1 + P/2e8 = 0.5 + 4 B/1e8 = 4 -> 4.6
    assertEquals(4.6, ExchangeCostModel.tree(C, MB100, MB100, 4), 1e-9);
    // sharded: 0.1 + 2 * 0.05 + 3/4 * (B + P)/5e7 = 3/4 * 4 = 3 -> 3.2
    assertEquals(3.2, ExchangeCostModel.sharded(C, MB100, MB100, 4), 1e-9);
    // ring: 0.1 + 0.02 + 6 * 0.001 + 2 * 3/4 * 1e8/5e7 = 3 + B/1e8 = 1 + 0.5 -> 4.626, and the
    // shuffle of task 0's sums to the stage that collects them: 0.05 + B/5e7 = 2 -> 6.676
    assertEquals(6.676, ExchangeCostModel.ring(C, MB100, MB100, 4), 1e-9);
    Map<Exchange, Double> p =
        ExchangeCostModel.predict(C, MB100, MB100, 4, EnumSet.of(Exchange.TREE, Exchange.RING));
    assertEquals(Exchange.TREE, ExchangeCostModel.fastest(p));
    assertEquals(
        Exchange.SHARDED,
        ExchangeCostModel.fastest(
            ExchangeCostModel.predict(
                C, MB100, MB100, 4, EnumSet.of(Exchange.TREE, Exchange.SHARDED, Exchange.RING))));
  }

  @Test
  void eightTasksAddTreeAggregatesShuffleLevel() {
    // s = ceil(sqrt 8) = 3; 8 > 3 + ceil(8/3) = 6: one level to 8/3 = 2 reducers, each receiving
    // ceil(8/2) = 4 sums: 0.05 + 4 * 1e8/5e7 = 8.05; then 2 sums to the driver: 2 * 1 = 2
    // total 0.1 + 0.5 + 8.05 + 2 = 10.65
    assertEquals(10.65, ExchangeCostModel.tree(C, MB100, MB100, 8), 1e-9);
    // five tasks: s = 3, 5 <= 3 + 2: all five sums to the driver: 0.1 + 0.5 + 5 = 5.6
    assertEquals(5.6, ExchangeCostModel.tree(C, MB100, MB100, 5), 1e-9);
  }

  @Test
  void aSmallModelFavoursTheOneStageTree() {
    double b = 1e3;
    // tree 0.1 + 5e-6 + 4e-5; ring 0.1 + 0.02 + 0.05 + 0.006 + 3e-5 + 2e-5 + 1e-5 + 5e-6;
    // sharded 0.1 + 0.1 + 3/4 * 2e3/5e7 = 3e-5
    assertEquals(0.100045, ExchangeCostModel.tree(C, b, b, 4), 1e-12);
    assertEquals(0.176065, ExchangeCostModel.ring(C, b, b, 4), 1e-12);
    assertEquals(0.20003, ExchangeCostModel.sharded(C, b, b, 4), 1e-12);
    assertEquals(
        Exchange.TREE,
        ExchangeCostModel.fastest(
            ExchangeCostModel.predict(
                C, b, b, 4, EnumSet.of(Exchange.TREE, Exchange.SHARDED, Exchange.RING))));
  }

  @Test
  void oneTaskHasNoRingSteps() {
    // 0.1 + 0.02 + 0.05 + 0 hops + 0 ring bytes + the shuffle B/5e7 = 2 + B/1e8 = 1 + P/2e8 = 0.5
    assertEquals(3.67, ExchangeCostModel.ring(C, MB100, MB100, 1), 1e-9);
  }

  @Test
  void aPaperNetworkUsesOneBandwidthEverywhere() {
    LinkConstants ten = LinkConstants.network(0.05, 0.5, 1e-4, 10);
    assertEquals(0.5, ten.barrierSeconds(), 0);
    assertEquals(1.25e9, ten.driverBytesPerSecond(), 1e-3);
    assertEquals(1.25e9, ten.peerBytesPerSecond(), 1e-3);
    assertEquals(0.05, ten.stageSeconds(), 0);
  }
}
