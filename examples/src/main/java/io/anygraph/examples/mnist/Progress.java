package io.anygraph.examples.mnist;

import java.io.PrintStream;

/**
 * Training progress: a bar redrawn in place on a terminal (steps, loss, samples/s, ETA), plain
 * log lines otherwise (CI logs, files), so logs stay readable.
 */
final class Progress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;
  private long lastDraw;

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Whether standard output is an interactive terminal (not a pipe or file). */
  static boolean onTerminal() {
    return System.console() != null && System.getenv("CI") == null;
  }

  /** After each step: redraws the bar at most ten times a second (only on a terminal). */
  void step(int epoch, int epochs, long done, long total, double loss, double samplesPerSecond) {
    long now = System.nanoTime();
    if (!terminal || (now - lastDraw < 100_000_000L && done < total)) {
      return;
    }
    lastDraw = now;
    int filled = (int) (WIDTH * done / Math.max(1, total));
    double eta = samplesPerSecond > 0 ? (total - done) / samplesPerSecond : 0;
    out.printf("\repoch %d/%d [%s%s] %d/%d loss %.4f %.0f samples/s ETA %.0fs ", epoch, epochs,
        "=".repeat(filled), " ".repeat(WIDTH - filled), done, total, loss, samplesPerSecond, eta);
    out.flush();
  }

  /** At the end of each epoch: one line that stays. */
  void epoch(int epoch, int epochs, double loss, double testAccuracy, double samplesPerSecond) {
    if (terminal) {
      out.print("\r\033[K");
    }
    out.printf("epoch %d/%d  loss %.4f  test accuracy %.4f  %.0f samples/s%n", epoch, epochs, loss,
        testAccuracy, samplesPerSecond);
    out.flush();
  }
}
