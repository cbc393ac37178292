package io.anygraph.examples.bench;

import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.local.data.Batch;
import io.anygraph.local.data.Dataset;
import io.anygraph.local.data.Mnist;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code anygraph bench}: training throughput of the MLP and the MNIST CNN for Anygraph's local
 * runner, a hand-written raw ND4J loop and SameDiff, in the same run on the same digits; the
 * dispatch overhead of a 1,000-op chain; and ND4J's GEMM rate for context. Figures are medians
 * of timed windows after a warm-up; then the CNN's step on Spark against the local runner.
 * Options: {@link #OPTIONS}.
 */
public final class BenchCommand {
  private static final long[] MLP = {784, 256, 256, 10};
  private static final double LEARNING_RATE = 0.01;
  private static final long SEED = 1;

  private BenchCommand() {}

  /** The sections {@code --only} can choose. */
  static final List<String> SECTIONS = List.of("mlp", "cnn", "dispatch", "gemm", "spark");

  /** The command's options. */
  public static final Options OPTIONS = new Options("bench",
      "training throughput vs raw ND4J and SameDiff, dispatch overhead, GEMM, Spark step")
      .value("--only", "SECTIONS", null, "comma-separated sections to run, of: "
          + String.join(", ", SECTIONS))
      .value("--window", "SECONDS", "2", "length of a timed window")
      .value("--windows", "N", "5", "timed windows per figure (the median is reported)")
      .value("--master", "URL", "local[2]", "Spark master of the spark section")
      .value("--spark-batch", "N", "256", "global batch of the spark section")
      .flag("--profile", "instead of the comparison, Anygraph's time per op (mlp, cnn)");

  /** Runs the benchmarks the options choose. */
  public static int run(OptionValues options, PrintStream out) throws IOException {
    List<String> chosen = sections(options.string("--only"));
    double window = options.positiveNumber("--window");
    int windows = options.positiveInt("--windows");
    int sparkBatch = options.positiveInt("--spark-batch");
    boolean profile = options.flag("--profile");
    String master = options.string("--master");
    options.onlyWith("--profile", chosen.contains("mlp") || chosen.contains("cnn"),
        "the mlp and cnn sections");
    options.onlyWith("--master", chosen.contains("spark") && !profile, "the spark section");
    options.onlyWith("--spark-batch", chosen.contains("spark") && !profile, "the spark section");
    if (chosen.contains("spark") && !profile) {
      SparkMaster.checkReachable("--master", master);
    }
    Harness h = new Harness(window, windows);
    double profiled = window * windows;
    Section section = profile
        ? (title, data, batch, workloads) -> profile(out, title, data, batch, workloads.get(0), profiled)
        : (title, data, batch, workloads) -> compare(out, h, title, data, batch, workloads);
    out.println(Machine.describe());
    Dataset train = Mnist.load(Mnist.defaultDir()).train();
    if (chosen.contains("mlp")) {
      section.run("MLP 784-256-256-10, batch 128, SGD", train, 128, List.of(
          () -> AnygraphNets.mlp(MLP, SEED, LEARNING_RATE),
          () -> new RawNd4jMlp(MLP, SEED, LEARNING_RATE),
          () -> SameDiffNets.mlp(MLP, SEED, LEARNING_RATE)));
    }
    if (chosen.contains("cnn")) {
      section.run("MNIST CNN (conv5x5x8-pool-conv5x5x16-pool-dense), batch 64, SGD", train, 64,
          List.of(() -> AnygraphNets.cnn(SEED, LEARNING_RATE),
              () -> SameDiffNets.cnn(SEED, LEARNING_RATE, 8, 16)));
    }
    if (profile) {
      return 0;
    }
    if (chosen.contains("dispatch")) {
      dispatch(out, h);
    }
    if (chosen.contains("gemm")) {
      gemm(out, h);
    }
    if (chosen.contains("spark")) {
      SparkBench.run(out, h, train, master, sparkBatch);
    }
    return 0;
  }

  /** The sections of {@code --only a,b} (all when absent); an unknown one is a usage error. */
  static List<String> sections(String only) {
    if (only == null) {
      return SECTIONS;
    }
    List<String> chosen = List.of(only.split(",", -1));
    for (String s : chosen) {
      if (!SECTIONS.contains(s)) {
        throw CommandFailure.usage("--only", "unknown section '" + s + "' (sections: "
            + String.join(", ", SECTIONS) + ")");
      }
    }
    return chosen;
  }

  /** A benchmark section: one network, trained by several implementations. */
  private interface Section {
    void run(String title, Dataset data, int batch, List<Supplier<Workload>> workloads);
  }

  /** Each workload trains on the same batches, cycling through the training digits. */
  private static void compare(PrintStream out, Harness h, String title, Dataset data, int batch,
      List<Supplier<Workload>> workloads) {
    out.println();
    out.println("== " + title);
    List<Batch> batches = fullBatches(data, batch);
    List<String> names = new ArrayList<>();
    List<Harness.Figure> figures = new ArrayList<>();
    for (Supplier<Workload> make : workloads) {
      Workload w = make.get();
      Harness.Figure f = h.measure(cycling(w, batches), batch);
      names.add(w.name());
      figures.add(f);
      out.printf("  %-10s %9.0f samples/s  (windows %.0f .. %.0f)%n", w.name(), f.median(), f.min(), f.max());
    }
    for (int i = 1; i < figures.size(); i++) {
      out.printf("  Anygraph / %s = %.2fx%n", names.get(i), figures.get(0).median() / figures.get(i).median());
    }
  }

  private static void profile(PrintStream out, String title, Dataset data, int batch,
      Supplier<Workload> anygraph, double seconds) {
    out.println();
    out.println("== " + title + ": Anygraph's time per op");
    OpTable.print(out, cycling(anygraph.get(), fullBatches(data, batch)), seconds);
  }

  private static List<Batch> fullBatches(Dataset data, int batch) {
    List<Batch> batches = new ArrayList<>();
    for (Batch b : data.batches(batch)) {
      if (b.size() == batch) {
        batches.add(b);
      }
    }
    return batches;
  }

  /** A training step on the next batch, starting over after the last. */
  private static Runnable cycling(Workload w, List<Batch> batches) {
    int[] next = {0};
    return () -> {
      Batch b = batches.get(next[0]);
      next[0] = (next[0] + 1) % batches.size();
      w.step(b.features(), b.labels());
    };
  }

  private static void dispatch(PrintStream out, Harness h) {
    int n = 1000;
    out.println();
    out.println("== dispatch: a chain of " + n + " adds on a float32 [4] vector");
    INDArray x = Nd4j.zeros(DataType.FLOAT, 4);
    INDArray c = Nd4j.ones(DataType.FLOAT, 4);
    Runnable raw = () -> {
      INDArray y = x;
      for (int i = 0; i < n; i++) {
        y = y.add(c);
      }
    };
    String[] names = {"Anygraph", "raw ND4J", "SameDiff"};
    Runnable[] runs = {AnygraphNets.addChain(n), raw, SameDiffNets.addChain(n)};
    for (int i = 0; i < runs.length; i++) {
      Harness.Figure f = h.measure(runs[i], n);
      out.printf("  %-10s %8.2f µs/op%n", names[i], 1e6 / f.median());
    }
  }

  private static void gemm(PrintStream out, Harness h) {
    int n = 2048;
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
    Harness.Figure f = h.measure(() -> Nd4j.gemm(a, b, false, false), 2.0 * n * n * n);
    out.println();
    out.printf("== ND4J GEMM float32 n=%d: %.0f GFLOP/s%n", n, f.median() / 1e9);
  }
}
