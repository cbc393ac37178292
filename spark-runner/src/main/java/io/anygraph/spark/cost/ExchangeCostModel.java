package io.anygraph.spark.cost;

import io.anygraph.spark.exchange.Exchange;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Predicts the exchange time of one training step (everything but the tasks' and the driver stage's
 * compute) under each strategy, from B (bytes of the all-reduce boundaries, the gradients), P
 * (bytes of the variables the workers read, broadcast after each update), N (tasks) and the
 * cluster's {@link LinkConstants} c:
 *
 * <ul>
 *   <li><b>tree</b>: {@code c.job + N_d·B/c.driver + P/c.broadcast}, where {@code treeAggregate}
 *       (depth 2) sends the driver {@code N_d = N} partial sums while {@code N ≤ s + ⌈N/s⌉} ({@code
 *       s = max(⌈√N⌉, 2)}), else first reduces them in a shuffle stage to {@code N_d = ⌊N/s⌋} (per
 *       level: {@code c.stage + ⌈N/N_d⌉·B/c.peer}, the reducers receiving in parallel);
 *   <li><b>sharded</b>: {@code c.job + 2·c.stage + (N−1)/N·(B + P)/c.peer}: the reduce-scatter of
 *       the gradients is a shuffle (each owner receives N−1 pieces of B/N), and so is the
 *       all-gather of the owners' updated parameters (each task receives the other owners' slices);
 *       nothing the size of the model passes through the driver;
 *   <li><b>ring</b>: {@code c.job + c.barrier + c.stage + 2(N−1)·c.hop + 2(N−1)/N·B/c.peer +
 *       B/c.peer + B/c.driver + P/c.broadcast}: one barrier stage, reduce-scatter and all-gather of
 *       N−1 steps each, every link carrying B/N per step in parallel; task 0's sums leave it by a
 *       shuffle (what makes the barrier stage one Spark can rerun) to a second stage, whose task
 *       sends them to the driver.
 * </ul>
 *
 * <p>Not modelled: stragglers (every strategy waits for the slowest task), serialization and the
 * sharded owners' optimizer compute, contention when several executors share a host's link.
 */
public final class ExchangeCostModel {
  private ExchangeCostModel() {}

  /** Seconds of {@code tree} for one step. */
  public static double tree(LinkConstants c, double b, double p, int n) {
    double seconds = c.jobSeconds() + p / c.broadcastBytesPerSecond();
    int parts = n;
    int scale = Math.max((int) Math.ceil(Math.sqrt(n)), 2);
    while (parts > scale + Math.ceil((double) parts / scale)) { // Spark's treeAggregate, depth 2
      int reducers = parts / scale;
      seconds +=
          c.stageSeconds() + Math.ceil((double) parts / reducers) * b / c.peerBytesPerSecond();
      parts = reducers;
    }
    return seconds + parts * b / c.driverBytesPerSecond();
  }

  /** Seconds of {@code sharded} for one step. */
  public static double sharded(LinkConstants c, double b, double p, int n) {
    return c.jobSeconds() + 2 * c.stageSeconds() + (n - 1.0) / n * (b + p) / c.peerBytesPerSecond();
  }

  /** Seconds of {@code ring} for one step. */
  public static double ring(LinkConstants c, double b, double p, int n) {
    return c.jobSeconds()
        + c.barrierSeconds()
        + c.stageSeconds()
        + 2.0 * (n - 1) * c.hopSeconds()
        + 2.0 * (n - 1) / n * b / c.peerBytesPerSecond()
        + b / c.peerBytesPerSecond()
        + b / c.driverBytesPerSecond()
        + p / c.broadcastBytesPerSecond();
  }

  /** Predicted seconds of each of {@code strategies} (tree, sharded, ring), in enum order. */
  public static Map<Exchange, Double> predict(
      LinkConstants c, double b, double p, int n, Set<Exchange> strategies) {
    Map<Exchange, Double> out = new EnumMap<>(Exchange.class);
    for (Exchange e : strategies) {
      switch (e) {
        case TREE -> out.put(e, tree(c, b, p, n));
        case SHARDED -> out.put(e, sharded(c, b, p, n));
        case RING -> out.put(e, ring(c, b, p, n));
        case AUTO -> throw new IllegalArgumentException("auto is a choice, not a strategy");
      }
    }
    return out;
  }

  /** The fastest of {@code predictions}; ties go to the earlier strategy (tree first). */
  public static Exchange fastest(Map<Exchange, Double> predictions) {
    Exchange best = null;
    for (Map.Entry<Exchange, Double> e : predictions.entrySet()) {
      if (best == null || e.getValue() < predictions.get(best)) {
        best = e.getKey();
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no strategy to choose from");
    }
    return best;
  }
}
