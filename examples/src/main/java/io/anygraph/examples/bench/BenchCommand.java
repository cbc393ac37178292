package io.anygraph.examples.bench;

import io.anygraph.local.data.Dataset;
import io.anygraph.local.data.Mnist;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code anygraph bench}: training throughput of the MLP and the MNIST CNN for Anygraph's local
 * runner, the peers on the classpath ({@link BenchPeer}: TensorFlow when run from the {@code bench}
 * module), a hand-written raw ND4J loop and SameDiff, in the same run on the same digits; the
 * dispatch overhead of a 1,000-op chain; how the MLP's cost grows with batch and width; and
 * ND4J's GEMM rate for context. Figures are medians of timed windows after a warm-up, the engines
 * of a section timed in alternating windows; then the CNN's step on Spark against the local runner.
 * Options: {@code --only mlp|cnn|dispatch|scale|gemm|spark}, {@code --master local[2]},
 * {@code --spark-batch 256}, {@code --json FILE} (the figures and ratios as JSON),
 * {@code --window SECONDS} (default 2), {@code --windows N} (default 5), {@code --profile}
 * (instead of the comparison, the time per op of Anygraph's training steps).
 */
public final class BenchCommand {
  private static final long[] MLP = {784, 256, 256, 10};
  private static final long[] WIDE_MLP = {784, 4096, 4096, 10};
  private static final int[] SCALE_BATCHES = {1, 32, 128, 1024};
  private static final double LEARNING_RATE = 0.01;
  private static final long SEED = 1;

  private BenchCommand() {}

  public static int run(String[] args, PrintStream out) throws IOException {
    if (SoakBench.requested(args)) { // memory over minutes of training: options of its own
      return SoakBench.run(args, out);
    }
    String only = null;
    double window = 2;
    int windows = 5;
    boolean profile = false;
    String master = "local[2]";
    int sparkBatch = 256;
    String json = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--profile")) {
        profile = true;
        continue;
      }
      if (i + 1 == args.length) {
        System.err.println("anygraph bench: option " + args[i] + " needs a value");
        return 2;
      }
      String value = args[++i];
      switch (args[i - 1]) {
        case "--only" -> only = value;
        case "--window" -> window = Double.parseDouble(value);
        case "--windows" -> windows = Integer.parseInt(value);
        case "--master" -> master = value;
        case "--spark-batch" -> sparkBatch = Integer.parseInt(value);
        case "--json" -> json = value;
        default -> {
          System.err.println("anygraph bench: unknown option " + args[i - 1]);
          return 2;
        }
      }
    }
    if (json != null && !Files.isDirectory(Path.of(json).toAbsolutePath().getParent())) {
      System.err.println("anygraph bench: --json " + json + ": its folder does not exist");
      return 2;
    }
    Harness h = new Harness(window, windows);
    List<BenchPeer> peers = profile ? List.of() : BenchPeer.installed();
    String machine = Machine.describe();
    out.println(machine);
    Map<String, String> engines = new LinkedHashMap<>();
    engines.put("Anygraph", Machine.nd4j());
    for (BenchPeer p : peers) {
      engines.put(p.name(), p.describe());
      out.println(p.name() + ": " + p.describe());
    }
    if (peers.isEmpty() && !profile) {
      out.println("(no peer engines on the classpath: build the bench module for TensorFlow)");
    }
    BenchReport report = new BenchReport(machine, engines);
    TrainingSection training = new TrainingSection(h, out, report);
    Dataset train = Mnist.load(Mnist.defaultDir()).train();
    String mlpTitle = "MLP 784-256-256-10, batch 128, SGD";
    String cnnTitle = "MNIST CNN (conv5x5x8-pool-conv5x5x16-pool-dense), batch 64, SGD";
    if (profile) {
      double seconds = window * windows;
      if (only == null || only.equals("mlp")) {
        profile(out, mlpTitle, train, 128, AnygraphNets.mlp(MLP, SEED, LEARNING_RATE), seconds);
      }
      if (only == null || only.equals("cnn")) {
        profile(out, cnnTitle, train, 64, AnygraphNets.cnn(SEED, LEARNING_RATE), seconds);
      }
      return 0;
    }
    if (only == null || only.equals("mlp")) {
      List<TrainingSection.Contender> others = new ArrayList<>();
      peers.forEach(p -> others.add(init -> p.mlp(init, LEARNING_RATE)));
      others.add(init -> new RawNd4jMlp(MLP, SEED, LEARNING_RATE));
      others.add(init -> SameDiffNets.mlp(MLP, SEED, LEARNING_RATE));
      training.run("mlp", mlpTitle, TrainingSection.fullBatches(train.batches(128), 128),
          () -> AnygraphNets.mlp(MLP, SEED, LEARNING_RATE), others);
    }
    if (only == null || only.equals("cnn")) {
      List<TrainingSection.Contender> others = new ArrayList<>();
      peers.forEach(p -> others.add(init -> p.cnn(init, LEARNING_RATE)));
      others.add(init -> SameDiffNets.cnn(SEED, LEARNING_RATE, 8, 16));
      training.run("cnn", cnnTitle, TrainingSection.fullBatches(train.batches(64), 64),
          () -> AnygraphNets.cnn(SEED, LEARNING_RATE), others);
    }
    if (only == null || only.equals("dispatch")) {
      dispatch(out, h, peers, report);
    }
    if (only == null || only.equals("scale")) {
      scale(out, training, train, peers);
    }
    if (only == null || only.equals("gemm")) {
      gemm(out, h);
    }
    if (only == null || only.equals("spark")) {
      SparkBench.run(out, h, train, master, sparkBatch);
    }
    if (json != null) {
      report.write(Path.of(json));
    }
    return 0;
  }

  private static void profile(PrintStream out, String title, Dataset data, int batch,
      Workload anygraph, double seconds) {
    out.println();
    out.println("== " + title + ": Anygraph's time per op");
    OpTable.print(out, TrainingSection.cycling(anygraph, TrainingSection.fullBatches(
        data.batches(batch), batch)), seconds);
  }

  /**
   * The MLP at growing batch and then width, Anygraph and its peers only, so how each engine's
   * cost grows with the work shows (a fixed cost per step dominates at batch 1, GEMM at width 4096).
   */
  private static void scale(PrintStream out, TrainingSection training, Dataset data,
      List<BenchPeer> peers) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i <= SCALE_BATCHES.length; i++) {
      long[] sizes = i < SCALE_BATCHES.length ? MLP : WIDE_MLP;
      int batch = i < SCALE_BATCHES.length ? SCALE_BATCHES[i] : 128;
      String name = "MLP " + Arrays.stream(sizes).mapToObj(Long::toString)
          .collect(Collectors.joining("-")) + ", batch " + batch;
      List<TrainingSection.Contender> others = new ArrayList<>();
      peers.forEach(p -> others.add(init -> p.mlp(init, LEARNING_RATE)));
      List<Harness.Figure> f = training.run("scale", "scale: " + name + ", SGD",
          TrainingSection.fullBatches(data.batches(batch), batch),
          () -> AnygraphNets.mlp(sizes, SEED, LEARNING_RATE), others);
      StringBuilder row = new StringBuilder(String.format("  %-32s", name));
      double flopsPerSample = 6.0 * macsPerSample(sizes); // forward 2, backward 4 per weight
      for (Harness.Figure fig : f) {
        row.append(String.format(" %9.1f %7.1f", 1e6 * batch / fig.median(),
            fig.median() * flopsPerSample / 1e9));
      }
      rows.add(row.toString());
    }
    out.println();
    StringBuilder header = new StringBuilder(String.format("== scale summary%n  %-32s", ""));
    header.append(String.format(" %17s", "Anygraph"));
    peers.forEach(p -> header.append(String.format(" %17s", p.name())));
    out.println(header);
    out.printf("  %-32s%s%n", "", String.format(" %9s %7s", "µs/step", "GFLOP/s")
        .repeat(1 + peers.size()));
    rows.forEach(out::println);
  }

  private static long macsPerSample(long[] sizes) {
    long macs = 0;
    for (int i = 0; i + 1 < sizes.length; i++) {
      macs += sizes[i] * sizes[i + 1];
    }
    return macs;
  }

  private static void dispatch(PrintStream out, Harness h, List<BenchPeer> peers,
      BenchReport report) {
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
    List<String> names = new ArrayList<>(List.of("Anygraph"));
    List<Runnable> runs = new ArrayList<>(List.of(AnygraphNets.addChain(n)));
    for (BenchPeer p : peers) {
      names.add(p.name());
      runs.add(p.addChain(n));
    }
    names.addAll(List.of("raw ND4J", "SameDiff"));
    runs.addAll(List.of(raw, SameDiffNets.addChain(n)));
    List<Harness.Figure> figures = h.measureAll(runs, n);
    Map<String, Object> section = report.section("dispatch", "a chain of " + n + " adds, float32 [4]");
    for (int i = 0; i < runs.size(); i++) {
      Harness.Figure f = figures.get(i);
      out.printf("  %-10s %8.2f µs/op%n", names.get(i), 1e6 / f.median());
      BenchReport.engine(section, names.get(i), "us/op",
          new Harness.Figure(1e6 / f.median(), 1e6 / f.max(), 1e6 / f.min()));
    }
    for (int i = 1; i < runs.size(); i++) { // in µs/op: below 1 means Anygraph dispatches faster
      double ratio = figures.get(i).median() / figures.get(0).median();
      out.printf("  Anygraph / %s = %.2fx (time per op)%n", names.get(i), ratio);
      BenchReport.ratio(section, names.get(i), ratio);
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
