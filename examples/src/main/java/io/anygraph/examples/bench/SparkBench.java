package io.anygraph.examples.bench;

import io.anygraph.core.Session;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.Wire;
import io.anygraph.spark.exec.ShardedData;
import io.anygraph.spark.exec.SparkRunner;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The MNIST CNN's training step (Adam) at one global batch, on the local runner and as Spark jobs
 * on an embedded master, in the same run: milliseconds per step (medians of timed windows) and, for
 * Spark, where a step's time goes: compute (slowest task and driver stage), serialization (variable
 * broadcast, task deserialization, the result's Kryo) and scheduling.
 */
final class SparkBench {
  private SparkBench() {}

  /**
   * The comparison; {@code exchange} and {@code wire} null for the runner's defaults (the
   * configuration's).
   */
  static void run(
      PrintStream out,
      Harness h,
      Dataset train,
      String master,
      int batch,
      Exchange exchange,
      Wire wire) {
    out.println();
    out.printf(
        "== MNIST CNN training step, global batch %d: local runner vs Spark %s%n", batch, master);
    List<Batch> batches = new ArrayList<>();
    for (Batch b : train.batches(batch)) {
      if (b.size() == batch) {
        batches.add(b);
      }
    }
    MnistCnn local = new MnistCnn(1, 0.001);
    double localMs;
    try (Session sess = new Session(local.graph, new LocalRunner(local.graph))) {
      sess.initializeAllVariables();
      int[] next = {0};
      localMs =
          1000
              / h.measure(
                      () -> {
                        Batch b = batches.get(next[0]++ % batches.size());
                        sess.run(
                            List.of(local.train, local.loss),
                            Map.of(local.images, b.features(), local.labels, b.labels()));
                      },
                      1)
                  .median();
    }
    out.printf(
        "  local runner   %7.1f ms/step  (%.0f samples/s)%n", localMs, batch * 1000 / localMs);
    SparkSession spark =
        SparkSetup.session(
            SparkSetup.conf("anygraph bench").setMaster(master).set("spark.ui.enabled", "false"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      MnistCnn onSpark = new MnistCnn(1, 0.001);
      SparkRunner runner =
          new SparkRunner(onSpark.graph, sc)
              .bind(
                  ShardedData.of(sc, train, sc.defaultParallelism()),
                  Map.of("features", onSpark.images, "labels", onSpark.labels));
      if (exchange != null) {
        runner.exchange(exchange);
      }
      if (wire != null) {
        runner.gradientWire(wire);
      }
      try (Session sess = new Session(onSpark.graph, runner)) {
        sess.initializeAllVariables();
        int steps = (int) (train.size() / batch);
        int[] next = {0};
        Runnable step =
            () -> {
              runner.select(1, batch, next[0]++ % steps);
              sess.run(List.of(onSpark.train, onSpark.loss), Map.of());
            };
        Harness.runFor(step, 2); // warm-up before the breakdown starts counting
        runner.times().reset();
        double sparkMs = 1000 / h.measure(step, 1).median();
        double[] t = runner.times().perStepMillis();
        out.printf(
            "  Spark %-8s %7.1f ms/step  (%.0f samples/s), %d partitions, exchange %s,"
                + " gradient wire %s%n",
            master,
            sparkMs,
            batch * 1000 / sparkMs,
            sc.defaultParallelism(),
            runner.exchange().label(),
            runner.gradientWire().label());
        out.printf(
            "    per step: compute %.1f ms, serialization %.1f ms, scheduling %.1f ms"
                + " (means over %d steps)%n",
            t[1], t[2], t[3], runner.times().steps());
        out.printf("  Spark / local = %.2fx%n", sparkMs / localMs);
      }
    } finally {
      spark.stop();
    }
  }
}
