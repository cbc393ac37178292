package io.anygraph.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.anygraph.core.Session;
import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.examples.train.LocalTraining;
import io.anygraph.examples.train.SparkTraining;
import io.anygraph.examples.train.TrainingBackend;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exec.ShardedData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code anygraph bench --only soak [--minutes 2] [--master local[2]] [--json FILE]}: MNIST CNN
 * training (Adam, batch 64) for N minutes on the local runner, then N minutes on Spark, printing
 * this JVM's memory at the start, after warm-up (the first 10% of the time and at least 200 steps:
 * JIT, allocator pools, Spark's caches), each minute, and at the end. A leak shows as resident
 * memory that keeps growing after warm-up; the goal is under {@value #GOAL_MB} MB over 30 minutes.
 */
public final class SoakBench {
  static final double GOAL_MB = 50;
  private static final int BATCH = 64;
  private static final long SEED = 1;
  private static final double WARM_UP_FRACTION = 0.1;
  private static final long WARM_UP_STEPS = 200;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  /** Memory {@code hours} after the warm-up sample. */
  record Sample(double hours, MemoryUse use) {}

  /**
   * One runner's soak: memory at the start, then samples from the warm-up one (first) through one
   * each minute to the end (last).
   */
  record Phase(String runner, long steps, MemoryUse start, List<Sample> afterWarmUp) {
    /** Resident memory gained from the warm-up sample to the end, MB. */
    double growthMb() {
      return afterWarmUp.get(afterWarmUp.size() - 1).use().rssMb()
          - afterWarmUp.get(0).use().rssMb();
    }

    /**
     * The growth rate, MB/h: the slope of the least-squares line through the samples after warm-up,
     * so one noisy sample (an allocator keeping a freed block) moves it less than the difference of
     * two would.
     */
    double mbPerHour() {
      int n = afterWarmUp.size();
      double mt = 0;
      double mr = 0;
      for (Sample x : afterWarmUp) {
        mt += x.hours() / n;
        mr += x.use().rssMb() / n;
      }
      double num = 0;
      double den = 0;
      for (Sample x : afterWarmUp) {
        num += (x.hours() - mt) * (x.use().rssMb() - mr);
        den += (x.hours() - mt) * (x.hours() - mt);
      }
      return den == 0 ? Double.NaN : num / den;
    }

    /** Growth over 30 minutes after warm-up at that rate, MB. */
    double projectedHalfHourMb() {
      return mbPerHour() / 2;
    }
  }

  private SoakBench() {}

  /** Runs the soak: {@code minutes} of training per runner, the Spark one on {@code master}. */
  public static int run(
      double minutes, boolean local, boolean spark, String master, String json, PrintStream out)
      throws IOException {
    out.println(Machine.describe());
    out.printf(
        "== soak: MNIST CNN training, Adam, batch %d, %.1f minutes per runner;"
            + " memory after a full GC%n",
        BATCH, minutes);
    Dataset train = Mnist.load(Mnist.defaultDir()).train();
    List<Phase> phases = new ArrayList<>();
    if (local) {
      MnistCnn model = new MnistCnn(SEED, 0.001);
      phases.add(soak("local", model, new LocalTraining(model, train, 1), minutes, out));
    }
    if (spark) {
      phases.add(soakOnSpark(train, master, minutes, out));
    }
    if (json != null) {
      // (not io.anygraph.examples.JsonSummary: that package imports this one, and packages form no
      // cycles)
      Path file = Path.of(json).toAbsolutePath();
      Files.createDirectories(file.getParent());
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(file.toFile(), json(minutes, phases));
    }
    return 0;
  }

  private static Phase soakOnSpark(Dataset train, String master, double minutes, PrintStream out) {
    SparkSession session =
        SparkSetup.session(
            SparkSetup.conf("anygraph soak").setMaster(master).set("spark.ui.enabled", "false"));
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
      MnistCnn model = new MnistCnn(SEED, 0.001);
      TrainingBackend backend =
          new SparkTraining(model, sc, ShardedData.of(sc, train, sc.defaultParallelism()));
      return soak("spark " + master, model, backend, minutes, out);
    } finally {
      session.stop();
    }
  }

  /**
   * Trains for {@code minutes}, epoch after epoch, sampling memory on the way; warm-up ends after
   * 10% of the time and at least {@value #WARM_UP_STEPS} steps.
   */
  private static Phase soak(
      String runner, MnistCnn model, TrainingBackend backend, double minutes, PrintStream out) {
    out.printf("%n-- %s%n", runner);
    long total = (long) (minutes * MINUTE_NANOS);
    long steps = 0;
    List<Sample> samples = new ArrayList<>();
    try (Session sess = new Session(model.graph, backend.runner())) {
      sess.initializeAllVariables();
      MemoryUse start = sample(out, "start", 0, MemoryUse.afterGc());
      long begin = System.nanoTime();
      long warmAt = begin + (long) (total * WARM_UP_FRACTION);
      long warm = 0;
      long next = Long.MAX_VALUE;
      for (int epoch = 1; System.nanoTime() - begin < total; epoch++) {
        for (TrainingBackend.Step s : backend.epoch(SEED * 1_000_003L + epoch, BATCH)) {
          try (s) {
            sess.run(List.of(model.train, model.loss), s.feeds());
          }
          steps++;
          long now = System.nanoTime();
          if (now - begin >= total) {
            break;
          }
          if (samples.isEmpty() && now >= warmAt && steps >= WARM_UP_STEPS) {
            samples.add(new Sample(0, sample(out, "after warm-up", steps, MemoryUse.afterGc())));
            warm = System.nanoTime();
            next = warm + MINUTE_NANOS;
          } else if (now >= next) {
            samples.add(
                new Sample(
                    (now - warm) / 3.6e12,
                    sample(
                        out,
                        String.format("+%.0f min", (now - warm) / 6e10),
                        steps,
                        MemoryUse.afterGc())));
            next += MINUTE_NANOS;
          }
        }
      }
      if (samples.isEmpty()) { // too short to warm up: the rate counts from the start
        samples.add(new Sample(0, start));
        warm = begin;
      }
      long end = System.nanoTime();
      samples.add(
          new Sample((end - warm) / 3.6e12, sample(out, "end", steps, MemoryUse.afterGc())));
      Phase p = new Phase(runner, steps, start, samples);
      out.printf(
          "  growth after warm-up: %+.1f MB RSS in %.1f minutes; trend %+.1f MB/hour"
              + " (%+.1f MB per 30 minutes, goal < %.0f MB: %s)%n",
          p.growthMb(),
          (end - warm) / 6e10,
          p.mbPerHour(),
          p.projectedHalfHourMb(),
          GOAL_MB,
          p.projectedHalfHourMb() < GOAL_MB ? "met" : "NOT met");
      return p;
    }
  }

  private static MemoryUse sample(PrintStream out, String when, long steps, MemoryUse m) {
    out.printf("  %-14s step %6d: %s%n", when, steps, m);
    out.flush();
    return m;
  }

  private static Map<String, Object> json(double minutes, List<Phase> phases) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("command", "bench");
    root.put("only", "soak");
    root.put("minutes_per_runner", minutes);
    root.put("batch_size", BATCH);
    root.put("goal_mb_per_30_minutes", GOAL_MB);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Phase p : phases) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("runner", p.runner());
      m.put("steps", p.steps());
      m.put("start", p.start().json());
      List<Map<String, Object>> after = new ArrayList<>();
      for (Sample x : p.afterWarmUp()) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("minutes_after_warm_up", x.hours() * 60);
        j.putAll(x.use().json());
        after.add(j);
      }
      m.put("after_warm_up", after); // the warm-up sample, one each minute, the end
      m.put("growth_after_warm_up_mb", p.growthMb());
      m.put("growth_mb_per_hour", p.mbPerHour());
      m.put("projected_growth_30_minutes_mb", p.projectedHalfHourMb());
      m.put("goal_met", p.projectedHalfHourMb() < GOAL_MB);
      list.add(m);
    }
    root.put("runners", list);
    return root;
  }
}
