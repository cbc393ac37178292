package io.anygraph.spark.cost;

import java.util.Locale;

/**
 * What a step's exchange costs on a cluster, as measured by {@link Calibration} (or written down
 * for a cluster on paper).
 *
 * @param jobSeconds a one-stage job of tiny tasks, from submission to the driver holding the
 *     results: Spark's scheduling, task launch and result handling
 * @param stageSeconds what a second stage behind a shuffle adds to a job
 * @param barrierSeconds what running a job's stage in barrier mode adds to it (scheduling all tasks
 *     at once, the {@code allGather} of the ring's addresses, opening the sockets)
 * @param hopSeconds one message between two executors (the ring's per-step latency α)
 * @param driverBytesPerSecond bytes per second the driver receives from the tasks, all together
 * @param broadcastBytesPerSecond bytes per second a broadcast from the driver reaches the tasks
 * @param peerBytesPerSecond bytes per second over one executor-to-executor link (β)
 */
public record LinkConstants(
    double jobSeconds,
    double stageSeconds,
    double barrierSeconds,
    double hopSeconds,
    double driverBytesPerSecond,
    double broadcastBytesPerSecond,
    double peerBytesPerSecond) {

  /**
   * A cluster on paper: one Spark job takes {@code jobSeconds}, a shuffle stage as much again,
   * barrier mode {@code barrierSeconds} more, one hop {@code hopSeconds}, and every link (the
   * driver's included) moves {@code gbitPerSecond}.
   */
  public static LinkConstants network(
      double jobSeconds, double barrierSeconds, double hopSeconds, double gbitPerSecond) {
    double bytes = gbitPerSecond * 1e9 / 8;
    return new LinkConstants(
        jobSeconds, jobSeconds, barrierSeconds, hopSeconds, bytes, bytes, bytes);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "job %.1f ms, extra stage %.1f ms, barrier mode %.1f ms, hop %.3f ms, to driver %.0f MB/s,"
            + " broadcast %.0f MB/s, executor link %.0f MB/s",
        jobSeconds * 1e3,
        stageSeconds * 1e3,
        barrierSeconds * 1e3,
        hopSeconds * 1e3,
        driverBytesPerSecond / 1e6,
        broadcastBytesPerSecond / 1e6,
        peerBytesPerSecond / 1e6);
  }
}
