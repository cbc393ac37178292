package io.anygraph.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times step functions: warm-up first (JIT, allocator, OpenBLAS threads), then several timed
 * windows; the median window is the figure (robust to a noisy neighbour), min and max show spread.
 * Several steps are timed back to back, window by window (A B A B ...), so a neighbour's burst of
 * load falls on all of them alike rather than on whichever happened to run then.
 */
final class Harness {
  /** Per-window rate: units of work per second. */
  record Figure(double median, double min, double max) {}

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
    for (Runnable step : steps) {
      runFor(step, windowSeconds * 2); // warm-up
    }
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
