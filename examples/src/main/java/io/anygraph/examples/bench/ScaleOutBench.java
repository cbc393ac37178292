package io.anygraph.examples.bench;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.data.Dataset;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.Wire;
import io.anygraph.spark.exec.DriverBytes;
import io.anygraph.spark.exec.ShardedData;
import io.anygraph.spark.exec.SparkRunner;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bench --only scale}: a wide MLP (about 20 M parameters, Adam) at one global batch on 1, 2
 * and 4 executors, for each gradient exchange: milliseconds per step (median window), the driver's
 * array bytes in and out per step ({@link DriverBytes}), the executors' shuffle bytes per step and
 * the serialized task results the driver received (Spark's task metrics, {@link TaskBytes}) and the
 * scaling efficiency {@code t(1) / (N t(N))} at the fixed global batch. A {@code local[...]} master
 * runs {@code local[N]}: N task threads in this one JVM, not separate executors, and the output
 * says so; a cluster master runs N one-core executors ({@code spark.cores.max=N}).
 */
final class ScaleOutBench {
  static final long[] WIDTHS = {784, 4096, 4096, 10};
  static final int BATCH = 256;
  static final int[] EXECUTORS = {1, 2, 4};

  /** Examples the executors hold (a subset of MNIST: the broadcast of the data stays small). */
  private static final int EXAMPLES = 4096;

  private static final double LEARNING_RATE = 1e-4;

  /** One exchange on N executors: per-step figures. */
  record Row(
      Exchange exchange,
      Wire wire,
      int executors,
      double msPerStep,
      double driverIn,
      double driverOut,
      double shuffleWrite,
      double shuffleRead,
      double taskResults) {}

  private ScaleOutBench() {}

  static List<Row> run(
      PrintStream out,
      Harness h,
      Dataset train,
      String master,
      List<Exchange> exchanges,
      Wire wire,
      BenchReport report) {
    Dataset data = train.range(0, Math.min(EXAMPLES, train.size()));
    boolean local = master.startsWith("local");
    out.println();
    out.printf(
        "== scale: MLP %s (%,d parameters, Adam), global batch %d, gradient wire %s, %s%n",
        Arrays.stream(WIDTHS).mapToObj(Long::toString).collect(Collectors.joining("-")),
        parameters(),
        BATCH,
        wire == null ? "as configured" : wire.label(),
        local
            ? "local[N]: N task threads in this one JVM (no cluster given: not separate executors)"
            : master + " with N one-core executors");
    out.printf(
        "  %-8s %3s %9s %6s %11s %11s %13s %13s %13s%n",
        "exchange",
        "N",
        "ms/step",
        "eff.",
        "driver in",
        "driver out",
        "shuffle write",
        "shuffle read",
        "task results");
    List<Row> rows = new ArrayList<>();
    for (int n : EXECUTORS) {
      SparkConf conf =
          SparkSetup.conf("anygraph bench scale")
              .setMaster(local ? "local[" + n + "]" : master)
              .set("spark.ui.enabled", "false");
      if (!local) {
        conf.set("spark.executor.cores", "1").set("spark.cores.max", Integer.toString(n));
      }
      SparkSession spark = SparkMaster.startSession("--master", master, conf);
      try {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TaskBytes shuffle = TaskBytes.listenTo(sc.sc());
        ShardedData blocks = ShardedData.of(sc, data, n);
        for (Exchange e : exchanges) {
          Row r = measure(h, sc, shuffle, blocks, e, wire, n);
          rows.add(r);
          Row base = rows.stream().filter(x -> x.exchange() == e).findFirst().orElse(r);
          out.printf(
              "  %-8s %3d %9.0f %5.0f%% %11s %11s %13s %13s %13s%n",
              e.label(),
              n,
              r.msPerStep(),
              100 * base.msPerStep() / (n / (double) base.executors() * r.msPerStep()),
              megabytes(r.driverIn()),
              megabytes(r.driverOut()),
              megabytes(r.shuffleWrite()),
              megabytes(r.shuffleRead()),
              megabytes(r.taskResults()));
        }
      } finally {
        spark.stop();
      }
    }
    out.println(
        "  (per step; driver in/out: arrays only, DriverBytes; shuffle, and task results the"
            + " driver received (serialized): Spark's task metrics; eff. = t(1) / (N t(N)) at the"
            + " fixed global batch)");
    Map<String, Object> section = report.section("scale", "scale-out: MLP on 1, 2, 4 executors");
    section.put("master", local ? "local[N]" : master);
    section.put("parameters", parameters());
    section.put("global_batch", BATCH);
    section.put("rows", rows.stream().map(ScaleOutBench::json).toList());
    return rows;
  }

  /** One configuration: warm-up steps, then timed windows; byte counts over the timed steps. */
  private static Row measure(
      Harness h,
      JavaSparkContext sc,
      TaskBytes shuffle,
      ShardedData blocks,
      Exchange e,
      Wire wire,
      int n) {
    Graph g = new Graph();
    g.setSeed(1);
    Tensor x;
    Tensor y;
    try (var s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, WIDTHS[0]), "x");
      y = g.placeholder(DType.INT32, Shape.of(-1), "y");
    }
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(mlp(g, x), y).mean();
    Tensor trainOp = new Adam(LEARNING_RATE).minimize(loss);
    SparkRunner runner =
        new SparkRunner(g, sc).bind(blocks, Map.of("features", x, "labels", y)).exchange(e);
    if (wire != null) {
      runner.gradientWire(wire);
    }
    try (Session sess = new Session(g, runner)) {
      sess.initializeAllVariables();
      int batches = (int) (blocks.size() / BATCH);
      long[] next = {0};
      long[] driver = new long[2];
      Runnable step =
          () -> {
            runner.select(1, BATCH, (int) (next[0]++ % batches));
            sess.run(List.of(trainOp, loss), Map.of());
            driver[0] += runner.driverBytes().received();
            driver[1] += runner.driverBytes().sent();
          };
      step.run(); // the first step ships the parameters (and, sharded, cuts their slices)
      step.run();
      shuffle.reset();
      Arrays.fill(driver, 0);
      long before = next[0];
      double[] ms = new double[h.windows()];
      for (int w = 0; w < ms.length; w++) {
        long start = System.nanoTime();
        long steps = Harness.runFor(step, h.windowSeconds());
        ms[w] = (System.nanoTime() - start) / 1e6 / steps;
      }
      Arrays.sort(ms);
      double steps = next[0] - before;
      long[] sh = shuffle.totals();
      return new Row(
          e,
          runner.gradientWire(),
          n,
          ms[ms.length / 2],
          driver[0] / steps,
          driver[1] / steps,
          sh[0] / steps,
          sh[1] / steps,
          sh[2] / steps);
    }
  }

  /** The dense relu layers of {@link #WIDTHS}, He-normal weights, zero biases: the logits. */
  private static Tensor mlp(Graph g, Tensor x) {
    Tensor a = x;
    for (int i = 0; i + 1 < WIDTHS.length; i++) {
      Shape shape = Shape.of(WIDTHS[i], WIDTHS[i + 1]);
      Variable w =
          g.variable(
              g.random().normal(DType.FLOAT32, shape, 0, Math.sqrt(2.0 / WIDTHS[i])), "w" + i);
      Variable b = g.variable(g.ops().zeros(DType.FLOAT32, WIDTHS[i + 1]), "b" + i);
      a = g.nn().biasAdd(a.matmul(w), b);
      if (i + 2 < WIDTHS.length) {
        a = g.nn().relu(a);
      }
    }
    return a;
  }

  static long parameters() {
    long p = 0;
    for (int i = 0; i + 1 < WIDTHS.length; i++) {
      p += WIDTHS[i] * WIDTHS[i + 1] + WIDTHS[i + 1];
    }
    return p;
  }

  private static String megabytes(double bytes) {
    if (bytes < 1e4) {
      return String.format("%.0f B", bytes);
    }
    return bytes < 1e6
        ? String.format("%.1f kB", bytes / 1e3)
        : String.format("%.1f MB", bytes / 1e6);
  }

  private static Map<String, Object> json(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("exchange", r.exchange().label());
    m.put("gradient_wire", r.wire().label());
    m.put("executors", r.executors());
    m.put("ms_per_step", r.msPerStep());
    m.put("driver_bytes_in_per_step", r.driverIn());
    m.put("driver_bytes_out_per_step", r.driverOut());
    m.put("shuffle_write_bytes_per_step", r.shuffleWrite());
    m.put("shuffle_read_bytes_per_step", r.shuffleRead());
    m.put("task_result_bytes_per_step", r.taskResults());
    return m;
  }
}
