package io.anygraph.examples.bench;

import io.anygraph.local.data.Batch;
import io.anygraph.local.data.Dataset;
import io.anygraph.local.data.Mnist;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code anygraph bench}: training throughput of the MLP and the MNIST CNN for Anygraph's local
 * runner, a hand-written raw ND4J loop and SameDiff, in the same run on the same digits; the
 * dispatch overhead of a 1,000-op chain; and ND4J's GEMM rate for context. Figures are medians
 * of timed windows after a warm-up. Options: {@code --only mlp|cnn|dispatch|gemm},
 * {@code --window SECONDS} (default 2), {@code --windows N} (default 5).
 */
public final class BenchCommand {
  private static final long[] MLP = {784, 256, 256, 10};
  private static final double LEARNING_RATE = 0.01;
  private static final long SEED = 1;

  private BenchCommand() {}

  public static int run(String[] args, PrintStream out) throws IOException {
    String only = null;
    double window = 2;
    int windows = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--only" -> only = args[i + 1];
        case "--window" -> window = Double.parseDouble(args[i + 1]);
        case "--windows" -> windows = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("anygraph bench: unknown option " + args[i]);
          return 2;
        }
      }
    }
    if (args.length % 2 != 0) {
      System.err.println("anygraph bench: option " + args[args.length - 1] + " needs a value");
      return 2;
    }
    Harness h = new Harness(window, windows);
    out.println(Machine.describe());
    Dataset train = Mnist.load(Mnist.defaultDir()).train();
    if (only == null || only.equals("mlp")) {
      section(out, h, "MLP 784-256-256-10, batch 128, SGD", train, 128, List.of(
          () -> AnygraphNets.mlp(MLP, SEED, LEARNING_RATE),
          () -> new RawNd4jMlp(MLP, SEED, LEARNING_RATE),
          () -> SameDiffNets.mlp(MLP, SEED, LEARNING_RATE)));
    }
    if (only == null || only.equals("cnn")) {
      section(out, h, "MNIST CNN (conv5x5x8-pool-conv5x5x16-pool-dense), batch 64, SGD", train, 64,
          List.of(() -> AnygraphNets.cnn(SEED, LEARNING_RATE),
              () -> SameDiffNets.cnn(SEED, LEARNING_RATE, 8, 16)));
    }
    if (only == null || only.equals("dispatch")) {
      dispatch(out, h);
    }
    if (only == null || only.equals("gemm")) {
      gemm(out, h);
    }
    return 0;
  }

  /** Each workload trains on the same batches, cycling through the training digits. */
  private static void section(PrintStream out, Harness h, String title, Dataset data, int batch,
      List<Supplier<Workload>> workloads) {
    out.println();
    out.println("== " + title);
    List<Batch> batches = new ArrayList<>();
    for (Batch b : data.batches(batch)) {
      if (b.size() == batch) {
        batches.add(b);
      }
    }
    List<String> names = new ArrayList<>();
    List<Harness.Figure> figures = new ArrayList<>();
    for (Supplier<Workload> make : workloads) {
      Workload w = make.get();
      Iterator<Batch>[] cursor = new Iterator[] {batches.iterator()};
      Harness.Figure f = h.measure(() -> {
        if (!cursor[0].hasNext()) {
          cursor[0] = batches.iterator();
        }
        Batch b = cursor[0].next();
        w.step(b.features(), b.labels());
      }, batch);
      names.add(w.name());
      figures.add(f);
      out.printf("  %-10s %9.0f samples/s  (windows %.0f .. %.0f)%n", w.name(), f.median(), f.min(), f.max());
    }
    for (int i = 1; i < figures.size(); i++) {
      out.printf("  Anygraph / %s = %.2fx%n", names.get(i), figures.get(0).median() / figures.get(i).median());
    }
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
