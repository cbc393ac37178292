package io.anygraph.examples.bench;

import java.util.Arrays;

/**
 * Times a step function: warm-up first (JIT, allocator, OpenBLAS threads), then several timed
 * windows; the median window is the figure (robust to a noisy neighbour), min and max show spread.
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

  /** Runs {@code step} (which does {@code units} of work) and returns units per second. */
  Figure measure(Runnable step, double units) {
    runFor(step, windowSeconds * 2); // warm-up
    double[] rates = new double[windows];
    for (int w = 0; w < windows; w++) {
      long start = System.nanoTime();
      long n = runFor(step, windowSeconds);
      rates[w] = n * units / ((System.nanoTime() - start) / 1e9);
    }
    Arrays.sort(rates);
    return new Figure(rates[windows / 2], rates[0], rates[windows - 1]);
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
