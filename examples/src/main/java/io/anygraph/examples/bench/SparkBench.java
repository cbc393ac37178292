package io.anygraph.examples.bench;

import io.anygraph.core.Session;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedData;
import io.anygraph.spark.exec.SparkRunner;
import io.anygraph.spark.exec.StepTimes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The MNIST CNN's training step (Adam) at one global batch, on the local runner and as Spark jobs
 * on an embedded master per gradient exchange, in the same run and in alternating windows (a
 * neighbour's load falls on all alike): milliseconds per step (medians of timed windows), the ratio
 * to the local runner, and for Spark where a step's time goes: compute (slowest task and driver
 * stage), serialization (variable broadcast, task deserialization, the result's Kryo) and
 * scheduling (the rest; for grouped steps it holds the ring all-reduce, also shown apart).
 */
final class SparkBench {
  /** Steps every timed call runs, on every contender: a whole number of groups of 1, 4 or 16. */
  private static final int STEPS_PER_CALL = 16;

  /** One Spark contender: an exchange, and training steps per Spark job (ring only above 1). */
  record Strategy(Exchange exchange, int stepsPerJob) {
    String label() {
      return stepsPerJob == 1 ? exchange.label() : exchange.label() + " x" + stepsPerJob;
    }
  }

  private SparkBench() {}

  /**
   * The strategies to time: tree, sharded, ring and ring with 4 and 16 steps per job by default;
   * the exchange given alone (with 4 and 16 steps per job for ring); ring and ring with {@code
   * stepsPerJob} steps per job when that is given (0: not given).
   */
  static List<Strategy> strategies(Exchange exchange, int stepsPerJob) {
    List<Strategy> out = new ArrayList<>();
    if (stepsPerJob > 1) {
      out.add(new Strategy(Exchange.RING, 1));
      out.add(new Strategy(Exchange.RING, stepsPerJob));
      return out;
    }
    List<Exchange> exchanges =
        exchange == null
            ? List.of(Exchange.TREE, Exchange.SHARDED, Exchange.RING)
            : List.of(exchange);
    for (Exchange e : exchanges) {
      out.add(new Strategy(e, 1));
    }
    if (exchanges.contains(Exchange.RING) && stepsPerJob == 0) {
      out.add(new Strategy(Exchange.RING, 4));
      out.add(new Strategy(Exchange.RING, 16));
    }
    return out;
  }

  /** The comparison, printed and added to {@code report}. */
  static void run(
      PrintStream out,
      Harness h,
      Dataset train,
      String master,
      int batch,
      List<Strategy> strategies,
      BenchReport report) {
    out.println();
    String title =
        String.format(
            "MNIST CNN training step (Adam), global batch %d: local runner vs Spark %s",
            batch, master);
    out.println("== " + title);
    List<Batch> batches = new ArrayList<>();
    for (Batch b : train.batches(batch)) {
      if (b.size() == batch) {
        batches.add(b);
      }
    }
    // whole calls of 16 steps in one order: groups of 4 and 16 never straddle its end
    int steps = batches.size() / STEPS_PER_CALL * STEPS_PER_CALL;
    SparkSession spark =
        SparkSetup.session(
            SparkSetup.conf("anygraph bench").setMaster(master).set("spark.ui.enabled", "false"));
    List<Session> sessions = new ArrayList<>();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      ShardedData blocks = ShardedData.of(sc, train, sc.defaultParallelism());
      SparkJobTimes jobTimes = SparkJobTimes.attach(sc);
      List<Runnable> calls = new ArrayList<>();
      MnistCnn local = new MnistCnn(1, 0.001);
      Session localSession = new Session(local.graph, new LocalRunner(local.graph));
      sessions.add(localSession);
      localSession.initializeAllVariables();
      int[] localNext = {0};
      calls.add(
          () -> {
            for (int i = 0; i < STEPS_PER_CALL; i++) {
              Batch b = batches.get(localNext[0]++ % steps);
              localSession.run(
                  List.of(local.train, local.loss),
                  Map.of(local.images, b.features(), local.labels, b.labels()));
            }
          });
      List<SparkRunner> runners = new ArrayList<>();
      for (Strategy s : strategies) {
        MnistCnn model = new MnistCnn(1, 0.001);
        SparkRunner runner =
            new SparkRunner(model.graph, sc)
                .bind(blocks, Map.of("features", model.images, "labels", model.labels))
                .exchange(s.exchange())
                .stepsPerJob(s.stepsPerJob());
        Session sess = new Session(model.graph, runner);
        sessions.add(sess);
        sess.initializeAllVariables();
        runners.add(runner);
        int[] next = {0};
        calls.add(
            () -> {
              sc.setLocalProperty(SparkJobTimes.CONTENDER, s.label()); // names the jobs it submits
              for (int i = 0; i < STEPS_PER_CALL; i++) {
                runner.select(1, batch, next[0]++ % steps, steps);
                sess.run(List.of(model.train, model.loss), Map.of());
              }
            });
      }
      calls.forEach(Runnable::run); // compiles every contender's steps before the counts start
      runners.forEach(r -> r.times().reset());
      jobTimes.reset();
      List<Harness.Figure> rates = h.measureAll(calls, STEPS_PER_CALL);
      double localMs = 1000 / rates.get(0).median();
      Map<String, Object> section = report.section("spark", title);
      section.put("master", master);
      section.put("partitions", sc.defaultParallelism());
      section.put("global_batch", batch);
      BenchReport.engine(section, "local runner", "ms/step", millis(rates.get(0)));
      out.printf(
          "  %-16s %7.1f ms/step  (%.0f samples/s)%n",
          "local runner", localMs, batch * 1000 / localMs);
      for (int i = 0; i < strategies.size(); i++) {
        Strategy s = strategies.get(i);
        double ms = 1000 / rates.get(i + 1).median();
        StepTimes times = runners.get(i).times();
        double[] t = times.perStepMillis();
        String name = "spark " + s.label();
        out.printf(
            "  %-16s %7.1f ms/step  (%.0f samples/s)  %.2fx local; per step (mean %.1f ms):"
                + " compute %.1f, serialization %.1f, scheduling %.1f ms%s%n",
            name,
            ms,
            batch * 1000 / ms,
            ms / localMs,
            t[0],
            t[1],
            t[2],
            t[3],
            s.stepsPerJob() > 1 ? String.format(" (of which ring %.1f)", times.ringMillis()) : "");
        Map<String, Object> e =
            BenchReport.engine(section, name, "ms/step", millis(rates.get(i + 1)));
        e.put("exchange", s.exchange().label());
        e.put("steps_per_job", s.stepsPerJob());
        e.put("over_local", ms / localMs);
        Map<String, Object> breakdown = new LinkedHashMap<>();
        breakdown.put("wall_ms", t[0]);
        breakdown.put("compute_ms", t[1]);
        breakdown.put("serialization_ms", t[2]);
        breakdown.put("scheduling_ms", t[3]);
        breakdown.put("ring_ms", times.ringMillis());
        breakdown.put("steps", times.steps());
        e.put("per_step", breakdown);
        double[] j = jobTimes.perJob(s.label());
        double jobsPerStep = (double) jobTimes.jobs(s.label()) / Math.max(1, times.steps());
        out.printf(
            "  %-16s jobs per step %.2f; per job: submission to first task %.1f ms, tasks %.1f ms,"
                + " last task to job end %.1f ms; per task: deserialization %.1f ms, result"
                + " serialization %.1f ms%n",
            "", jobsPerStep, j[0], j[1], j[2], j[3], j[4]);
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("jobs_per_step", jobsPerStep);
        scheduler.put("submission_to_first_task_ms", j[0]);
        scheduler.put("task_span_ms", j[1]);
        scheduler.put("last_task_to_job_end_ms", j[2]);
        scheduler.put("task_deserialization_ms", j[3]);
        scheduler.put("task_result_serialization_ms", j[4]);
        e.put("per_job", scheduler);
      }
      out.printf(
          "  (%d partitions; ms/step: medians of %d windows, taken in turn; the breakdown: means"
              + " over every step after the first %d, warm-up windows included; ND4J runs one"
              + " thread per op once Spark's tasks have fitted it to the task)%n",
          sc.defaultParallelism(), h.windows(), STEPS_PER_CALL);
    } finally {
      sessions.forEach(Session::close);
      spark.stop();
    }
  }

  /** A rate figure (steps per second) as milliseconds per step; the slowest window is the max. */
  private static Harness.Figure millis(Harness.Figure rate) {
    return new Harness.Figure(1000 / rate.median(), 1000 / rate.max(), 1000 / rate.min());
  }
}
