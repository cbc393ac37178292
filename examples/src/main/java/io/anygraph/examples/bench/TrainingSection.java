package io.anygraph.examples.bench;

import io.anygraph.data.Batch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One network trained by Anygraph and its peers on the same prepared batches, timed in alternating
 * windows. Peers start from Anygraph's initial parameters; the loss on the first batch before and
 * after the timed steps shows that each engine trains.
 */
final class TrainingSection {
  /** Builds a contender from Anygraph's initial parameters (which it may ignore). */
  interface Contender extends Function<Map<String, INDArray>, Workload> {}

  /** Enough distinct batches to cycle through at batch 1 without holding 60,000 small arrays. */
  private static final int MAX_BATCHES = 600;

  private final Harness harness;
  private final PrintStream out;
  private final BenchReport report;

  TrainingSection(Harness harness, PrintStream out, BenchReport report) {
    this.harness = harness;
    this.out = out;
    this.report = report;
  }

  /** Measures samples/s of each engine, prints them and Anygraph's ratios, and reports them. */
  List<Harness.Figure> run(
      String key,
      String title,
      List<Batch> batches,
      Supplier<? extends Workload> anygraph,
      List<Contender> others) {
    out.println();
    out.println("== " + title);
    List<Workload> workloads = new ArrayList<>();
    workloads.add(anygraph.get());
    Map<String, INDArray> initial = workloads.get(0).parameters();
    for (Contender c : others) {
      workloads.add(c.apply(initial));
    }
    Batch first = batches.get(0);
    double[] before = new double[workloads.size()];
    List<Runnable> steps = new ArrayList<>();
    for (int i = 0; i < workloads.size(); i++) {
      before[i] = workloads.get(i).loss(first.features(), first.labels());
      steps.add(cycling(workloads.get(i), batches));
    }
    int batch = (int) first.features().size(0);
    List<Harness.Figure> figures = harness.measureAll(steps, batch);
    Map<String, Object> section = report.section(key, title);
    section.put("batch", batch);
    for (int i = 0; i < workloads.size(); i++) {
      Workload w = workloads.get(i);
      Harness.Figure f = figures.get(i);
      double after = w.loss(first.features(), first.labels());
      out.printf(
          "  %-10s %9.0f samples/s  (windows %.0f .. %.0f)  loss on batch 0: %s -> %s%n",
          w.name(), f.median(), f.min(), f.max(), loss(before[i]), loss(after));
      Map<String, Object> e = BenchReport.engine(section, w.name(), "samples/s", f);
      e.put("loss_first", Double.isNaN(before[i]) ? null : before[i]);
      e.put("loss_last", Double.isNaN(after) ? null : after);
    }
    for (int i = 1; i < workloads.size(); i++) {
      double ratio = figures.get(0).median() / figures.get(i).median();
      out.printf("  Anygraph / %s = %.2fx%n", workloads.get(i).name(), ratio);
      BenchReport.ratio(section, workloads.get(i).name(), ratio);
    }
    for (Workload w : workloads) {
      String kernels = w.kernels();
      if (!kernels.isEmpty()) {
        out.printf("  %s kernels: %s%n", w.name(), kernels);
        section.put(w.name() + "_kernels", kernels);
      }
    }
    workloads.forEach(Workload::close);
    return figures;
  }

  private static String loss(double value) {
    return Double.isNaN(value) ? "n/a" : String.format("%.4f", value);
  }

  /** Full batches of {@code size} from the data, prepared once: at most 600 of them. */
  static List<Batch> fullBatches(Iterable<Batch> all, int size) {
    List<Batch> batches = new ArrayList<>();
    for (Batch b : all) {
      if (batches.size() == MAX_BATCHES) {
        break;
      }
      if (b.size() == size) {
        batches.add(b);
      }
    }
    return batches;
  }

  /** A training step on the next batch, starting over after the last. */
  static Runnable cycling(Workload w, List<Batch> batches) {
    int[] next = {0};
    return () -> {
      Batch b = batches.get(next[0]);
      next[0] = (next[0] + 1) % batches.size();
      w.step(b.features(), b.labels());
    };
  }
}
