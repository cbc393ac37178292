package io.anygraph.examples.bench;

import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.Destinations;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.Wire;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code anygraph bench}: training throughput of the MLP and the MNIST CNN for Anygraph's local
 * runner, the peers on the classpath ({@link BenchPeer}: TensorFlow when run from the {@code bench}
 * module), a hand-written raw ND4J loop and SameDiff, in the same run on the same digits; the
 * dispatch overhead of a 1,000-op chain; how the MLP's cost grows with batch and width ({@code
 * curve}); and ND4J's GEMM rate for context. Figures are medians of timed windows after a warm-up,
 * the engines of a section timed in alternating windows; then the CNN's step on Spark against the
 * local runner, and a wide MLP's step on 1, 2 and 4 executors per gradient exchange ({@code scale},
 * {@link ScaleOutBench}). Options: {@link #OPTIONS}.
 */
public final class BenchCommand {
  private static final long[] MLP = {784, 256, 256, 10};
  private static final long[] WIDE_MLP = {784, 4096, 4096, 10};
  private static final int[] SCALE_BATCHES = {1, 32, 128, 1024};
  private static final double LEARNING_RATE = 0.01;
  private static final long SEED = 1;

  /** Steps a peer traces for its op times in {@code --profile}. */
  private static final int PEER_TRACED_STEPS = 200;

  private BenchCommand() {}

  /** The sections {@code --only} can choose. */
  static final List<String> SECTIONS =
      List.of("mlp", "cnn", "dispatch", "curve", "gemm", "spark", "scale", "soak");

  /** The command's options. */
  public static final Options OPTIONS =
      new Options(
              "bench",
              "training throughput vs TensorFlow, raw ND4J and SameDiff, dispatch overhead, batch and"
                  + " width curve, GEMM, Spark step, scale-out over executors")
          .value(
              "--only",
              "SECTIONS",
              null,
              "comma-separated sections to run, of: " + String.join(", ", SECTIONS))
          .value("--window", "SECONDS", "2", "length of a timed window")
          .value("--windows", "N", "5", "timed windows per figure (the median is reported)")
          .value("--master", "URL", "local[2]", "Spark master of the spark and scale sections")
          .choice(
              "--exchange",
              null,
              List.of("tree", "sharded", "ring"),
              "gradient exchange of the spark section (tree, sharded and ring by default) and the"
                  + " scale section (every one by default)")
          .choice(
              "--gradient-wire",
              null,
              List.of("fp32", "bf16", "fp16"),
              "gradients sent in 16 bits with error feedback in the spark and scale sections"
                  + " (changes results)")
          .value("--spark-batch", "N", "256", "global batch of the spark section")
          .value(
              "--steps-per-job",
              "K",
              null,
              "spark section: ring with K training steps per Spark job against ring (4 and 16 by"
                  + " default)")
          .value("--json", "FILE", null, "write the figures and ratios there as JSON")
          .value("--minutes", "N", "2", "minutes of training per runner in the soak section")
          .value("--runner", "local|spark|both", "both", "the runners the soak section trains on")
          .flag("--profile", "instead of the comparison, each engine's time per op (mlp, cnn)");

  /** Runs the benchmarks the options choose. */
  public static int run(OptionValues options, PrintStream out) throws IOException {
    List<String> chosen = sections(options.string("--only"));
    double window = options.positiveNumber("--window");
    int windows = options.positiveInt("--windows");
    int sparkBatch = options.positiveInt("--spark-batch");
    boolean profile = options.flag("--profile");
    String master = options.string("--master");
    String json = options.path("--json");
    options.onlyWith(
        "--profile", chosen.contains("mlp") || chosen.contains("cnn"), "the mlp and cnn sections");
    boolean onSpark = chosen.contains("spark") || chosen.contains("scale");
    options.onlyWith(
        "--master",
        (onSpark || chosen.contains("soak")) && !profile,
        "the spark, scale and soak sections");
    options.onlyWith("--exchange", onSpark && !profile, "the spark and scale sections");
    Exchange exchange =
        options.given("--exchange") ? Exchange.parse(options.string("--exchange")) : null;
    options.onlyWith("--gradient-wire", onSpark && !profile, "the spark and scale sections");
    Wire wire =
        options.given("--gradient-wire") ? Wire.parse(options.string("--gradient-wire")) : null;
    options.onlyWith("--spark-batch", chosen.contains("spark") && !profile, "the spark section");
    options.onlyWith("--steps-per-job", chosen.contains("spark") && !profile, "the spark section");
    int stepsPerJob = options.given("--steps-per-job") ? options.positiveInt("--steps-per-job") : 0;
    if (stepsPerJob > 1 && exchange != null && exchange != Exchange.RING) {
      throw CommandFailure.usage(
          "--steps-per-job", "several steps per job need --exchange ring, not " + exchange.label());
    }
    options.onlyWith("--json", !profile, "the comparison, not --profile");
    Destinations.checkFile("--json", json);
    if (chosen.contains("soak")) { // memory over minutes of training, a run of its own
      if (chosen.size() > 1) {
        throw CommandFailure.usage(
            "--only",
            "soak runs alone, not with " + chosen.stream().filter(x -> !x.equals("soak")).toList());
      }
      String runner = options.string("--runner");
      if (!List.of("local", "spark", "both").contains(runner)) {
        throw CommandFailure.usage("--runner", "'" + runner + "' is not local, spark or both");
      }
      boolean local = !runner.equals("spark");
      boolean spark = !runner.equals("local");
      if (spark) {
        SparkMaster.checkReachable("--master", master);
      }
      return SoakBench.run(options.positiveNumber("--minutes"), local, spark, master, json, out);
    }
    options.onlyWith("--minutes", false, "the soak section");
    options.onlyWith("--runner", false, "the soak section");
    if (onSpark && !profile) {
      SparkMaster.checkReachable("--master", master);
    }
    Harness h = new Harness(window, windows);
    List<BenchPeer> peers = BenchPeer.installed();
    String machine = Machine.describe();
    out.println(machine);
    Map<String, String> engines = new LinkedHashMap<>();
    engines.put("Anygraph", Machine.nd4j());
    for (BenchPeer p : peers) {
      engines.put(p.name(), p.describe());
      out.println(p.name() + ": " + p.describe());
    }
    if (peers.isEmpty()) {
      out.println("(no peer engines on the classpath: build the bench module for TensorFlow)");
    }
    BenchReport report = new BenchReport(machine, engines);
    TrainingSection training = new TrainingSection(h, out, report);
    Dataset train = Mnist.load(Mnist.defaultDir()).train();
    String mlpTitle = "MLP 784-256-256-10, batch 128, SGD";
    String cnnTitle = "MNIST CNN (conv5x5x8-pool-conv5x5x16-pool-dense), batch 64, SGD";
    if (profile) {
      double seconds = window * windows;
      if (chosen.contains("mlp")) {
        profile(
            out,
            mlpTitle,
            train,
            128,
            AnygraphNets.mlp(MLP, SEED, LEARNING_RATE),
            init -> peers.stream().map(p -> p.mlp(init, LEARNING_RATE)).toList(),
            seconds);
      }
      if (chosen.contains("cnn")) {
        profile(
            out,
            cnnTitle,
            train,
            64,
            AnygraphNets.cnn(SEED, LEARNING_RATE),
            init -> peers.stream().map(p -> p.cnn(init, LEARNING_RATE)).toList(),
            seconds);
      }
      return 0;
    }
    if (chosen.contains("mlp")) {
      List<TrainingSection.Contender> others = new ArrayList<>();
      peers.forEach(p -> others.add(init -> p.mlp(init, LEARNING_RATE)));
      others.add(init -> new RawNd4jMlp(MLP, SEED, LEARNING_RATE));
      others.add(init -> SameDiffNets.mlp(MLP, SEED, LEARNING_RATE));
      training.run(
          "mlp",
          mlpTitle,
          TrainingSection.fullBatches(train.batches(128), 128),
          () -> AnygraphNets.mlp(MLP, SEED, LEARNING_RATE),
          others);
    }
    if (chosen.contains("cnn")) {
      List<TrainingSection.Contender> others = new ArrayList<>();
      peers.forEach(p -> others.add(init -> p.cnn(init, LEARNING_RATE)));
      others.add(init -> SameDiffNets.cnn(SEED, LEARNING_RATE, 8, 16));
      training.run(
          "cnn",
          cnnTitle,
          TrainingSection.fullBatches(train.batches(64), 64),
          () -> AnygraphNets.cnn(SEED, LEARNING_RATE),
          others);
    }
    if (chosen.contains("dispatch")) {
      dispatch(out, h, peers, report);
    }
    if (chosen.contains("curve")) {
      curve(out, training, train, peers);
    }
    if (chosen.contains("gemm")) {
      gemm(out, h);
    }
    if (chosen.contains("spark")) {
      SparkBench.run(
          out,
          h,
          train,
          master,
          sparkBatch,
          SparkBench.strategies(exchange, stepsPerJob),
          wire,
          report);
    }
    if (chosen.contains("scale")) {
      List<Exchange> exchanges = exchange == null ? List.of(Exchange.values()) : List.of(exchange);
      ScaleOutBench.run(out, h, train, master, exchanges, wire, report);
    }
    if (json != null) {
      report.write(Path.of(json));
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
        throw CommandFailure.usage(
            "--only",
            "unknown section '" + s + "' (sections: " + String.join(", ", SECTIONS) + ")");
      }
    }
    return chosen;
  }

  /**
   * Anygraph's time per op, then each peer's own (TensorFlow's from its step trace), each engine
   * from the same initial parameters after the same warm-up on the same batches.
   */
  private static void profile(
      PrintStream out,
      String title,
      Dataset data,
      int batch,
      Workload anygraph,
      Function<Map<String, INDArray>, List<Workload>> peers,
      double seconds) {
    List<Batch> batches = TrainingSection.fullBatches(data.batches(batch), batch);
    Map<String, INDArray> initial = anygraph.parameters();
    out.println();
    out.println("== " + title + ": Anygraph's time per op");
    OpTable.print(out, TrainingSection.cycling(anygraph, batches), seconds);
    for (Workload peer : peers.apply(initial)) {
      try (peer) {
        Harness.runFor(TrainingSection.cycling(peer, batches), seconds);
        Workload.OpTimes times =
            peer.opTimes(batches.get(0).features(), batches.get(0).labels(), PEER_TRACED_STEPS);
        if (times != null) {
          out.println("== " + title + ": " + peer.name() + "'s time per op");
          OpTable.printPeer(out, times);
        }
      }
    }
  }

  /**
   * The MLP at growing batch and then width, Anygraph and its peers only, so how each engine's cost
   * grows with the work shows (a fixed cost per step dominates at batch 1, GEMM at width 4096).
   */
  private static void curve(
      PrintStream out, TrainingSection training, Dataset data, List<BenchPeer> peers) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i <= SCALE_BATCHES.length; i++) {
      long[] sizes = i < SCALE_BATCHES.length ? MLP : WIDE_MLP;
      int batch = i < SCALE_BATCHES.length ? SCALE_BATCHES[i] : 128;
      String name =
          "MLP "
              + Arrays.stream(sizes).mapToObj(Long::toString).collect(Collectors.joining("-"))
              + ", batch "
              + batch;
      List<TrainingSection.Contender> others = new ArrayList<>();
      peers.forEach(p -> others.add(init -> p.mlp(init, LEARNING_RATE)));
      List<Harness.Figure> f =
          training.run(
              "curve",
              "curve: " + name + ", SGD",
              TrainingSection.fullBatches(data.batches(batch), batch),
              () -> AnygraphNets.mlp(sizes, SEED, LEARNING_RATE),
              others);
      StringBuilder row = new StringBuilder(String.format("  %-32s", name));
      double flopsPerSample = 6.0 * macsPerSample(sizes); // forward 2, backward 4 per weight
      for (Harness.Figure fig : f) {
        row.append(
            String.format(
                " %9.1f %7.1f", 1e6 * batch / fig.median(), fig.median() * flopsPerSample / 1e9));
      }
      rows.add(row.toString());
    }
    out.println();
    StringBuilder header = new StringBuilder(String.format("== curve summary%n  %-32s", ""));
    header.append(String.format(" %17s", "Anygraph"));
    peers.forEach(p -> header.append(String.format(" %17s", p.name())));
    out.println(header);
    out.printf(
        "  %-32s%s%n",
        "", String.format(" %9s %7s", "µs/step", "GFLOP/s").repeat(1 + peers.size()));
    rows.forEach(out::println);
  }

  private static long macsPerSample(long[] sizes) {
    long macs = 0;
    for (int i = 0; i + 1 < sizes.length; i++) {
      macs += sizes[i] * sizes[i + 1];
    }
    return macs;
  }

  private static void dispatch(
      PrintStream out, Harness h, List<BenchPeer> peers, BenchReport report) {
    int n = 1000;
    out.println();
    out.println("== dispatch: a chain of " + n + " adds on a float32 [4] vector");
    INDArray x = Nd4j.zeros(DataType.FLOAT, 4);
    INDArray c = Nd4j.ones(DataType.FLOAT, 4);
    Runnable raw =
        () -> {
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
    Map<String, Object> section =
        report.section("dispatch", "a chain of " + n + " adds, float32 [4]");
    for (int i = 0; i < runs.size(); i++) {
      Harness.Figure f = figures.get(i);
      out.printf("  %-10s %8.2f µs/op%n", names.get(i), 1e6 / f.median());
      BenchReport.engine(
          section,
          names.get(i),
          "us/op",
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
