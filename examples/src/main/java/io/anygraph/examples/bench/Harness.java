package io.anygraph.examples.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times step functions: warm-up first (JIT, allocator, OpenBLAS threads), then several timed
 * windows; the median window is the figure (robust to a noisy neighbour), min and max show spread.
 * Warm-up lasts until the JIT has settled: on 2 cores the C2 compiler's threads take CPU from the
 * steps' own threads, and a fixed 2 s warm-up left Anygraph's MLP at 13k samples/s in the first
 * timed windows and 50k in the later ones (with C1 only it ran 47k from the first window). Several
 * steps are timed back to back, window by window (A B A B ...), so a neighbour's burst of load
 * falls on all of them alike rather than on whichever happened to run then.
 */
final class Harness {
  /** Per-window rate: units of work per second. */
  record Figure(double median, double min, double max) {}

  /** Warm-up ends when a round of all steps spent under this share of its time compiling. */
  private static final double SETTLED_COMPILE_SHARE = 0.02;

  /** ... or after this many rounds, whatever the JIT does. */
  private static final int MAX_WARM_UP_ROUNDS = 20;

  private final double windowSeconds;
  private final int windows;

  Harness(double windowSeconds, int windows) {
    this.windowSeconds = windowSeconds;
    this.windows = windows;
  }

  double windowSeconds() {
    return windowSeconds;
  }

  int windows() {
    return windows;
  }

  /** Runs {@code step} (which does {@code units} of work) and returns units per second. */
  Figure measure(Runnable step, double units) {
    return measureAll(List.of(step), units).get(0);
  }

  /** Each step's rate, measured in alternating windows; each step does {@code units} of work. */
  List<Figure> measureAll(List<Runnable> steps, double units) {
    warmUp(steps);
    double[][] rates = new double[steps.size()][windows];
    for (int w = 0; w < windows; w++) {
      for (int s = 0; s < steps.size(); s++) {
        long start = System.nanoTime();
        long n = runFor(steps.get(s), windowSeconds);
        rates[s][w] = n * units / ((System.nanoTime() - start) / 1e9);
      }
    }
    List<Figure> figures = new ArrayList<>();
    for (double[] r : rates) {
      Arrays.sort(r);
      figures.add(new Figure(r[windows / 2], r[0], r[windows - 1]));
    }
    return figures;
  }

  /** Runs every step for two windows, then whole rounds of windows until the JIT is quiet. */
  private void warmUp(List<Runnable> steps) {
    for (Runnable step : steps) {
      runFor(step, windowSeconds * 2);
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    for (int round = 0; round < MAX_WARM_UP_ROUNDS; round++) {
      long compiledBefore = jit.getTotalCompilationTime();
      long start = System.nanoTime();
      for (Runnable step : steps) {
        runFor(step, windowSeconds);
      }
      double roundMs = (System.nanoTime() - start) / 1e6;
      if (jit.getTotalCompilationTime() - compiledBefore < SETTLED_COMPILE_SHARE * roundMs) {
        return;
      }
    }
  }

  static long runFor(Runnable step, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long n = 0;
    do {
      step.run();
      n++;
    } while (System.nanoTime() < end);
    return n;
  }
}
