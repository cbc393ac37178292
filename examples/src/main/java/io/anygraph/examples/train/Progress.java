package io.anygraph.examples.train;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Training progress: on a terminal a bar redrawn in place (epoch, steps, loss, samples/s and the
 * time left for the whole run); elsewhere (CI logs, files) the same figures as a plain line every
 * {@value #LOG_SECONDS} s, so logs stay readable. Each epoch ends with a line that stays.
 */
final class Progress {
  static final int LOG_SECONDS = 10;
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 100_000_000L;
  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier clock;
  private final int epochs;
  private final long steps;
  private final long samples;
  private final String metric;
  private long last;

  /**
   * @param steps training steps per epoch
   * @param samples training samples per epoch
   * @param metric the name of the held-out figure in the epoch's line ({@code test accuracy})
   */
  Progress(PrintStream out, boolean terminal, int epochs, long steps, long samples, String metric) {
    this(out, terminal, epochs, steps, samples, metric, System::nanoTime);
  }

  Progress(
      PrintStream out,
      boolean terminal,
      int epochs,
      long steps,
      long samples,
      String metric,
      LongSupplier clock) {
    this.out = out;
    this.terminal = terminal;
    this.epochs = epochs;
    this.steps = steps;
    this.samples = samples;
    this.metric = metric;
    this.clock = clock;
    this.last = clock.getAsLong();
  }

  /** Whether standard output is an interactive terminal (not a pipe or file). */
  static boolean onTerminal() {
    return System.console() != null && System.getenv("CI") == null;
  }

  /**
   * After each step of an epoch.
   *
   * @param step steps done in this epoch (1 after the first)
   * @param done samples done in this epoch
   */
  void step(int epoch, long step, long done, double loss, double samplesPerSecond) {
    long now = clock.getAsLong();
    if (step >= steps || now - last < (terminal ? REDRAW_NANOS : LOG_SECONDS * 1_000_000_000L)) {
      return; // the epoch's own line follows the last step
    }
    last = now;
    long left = (samples - done) + (long) (epochs - epoch) * samples;
    String eta = samplesPerSecond > 0 ? duration(left / samplesPerSecond) : "?";
    String figures =
        String.format(
            "step %d/%d  loss %.4f  %.0f samples/s  ETA %s",
            step, steps, loss, samplesPerSecond, eta);
    if (terminal) {
      int filled = (int) (WIDTH * step / steps);
      out.printf(
          "\repoch %d/%d [%s%s] %s\033[K",
          epoch, epochs, "=".repeat(filled), " ".repeat(WIDTH - filled), figures);
    } else {
      out.printf("epoch %d/%d  %s%n", epoch, epochs, figures);
    }
    out.flush();
  }

  /** At the end of each epoch: one line that stays. */
  void epoch(int epoch, double loss, double heldOut, double samplesPerSecond) {
    if (terminal) {
      out.print("\r\033[K");
    }
    out.printf(
        "epoch %d/%d  loss %.4f  %s %.4f  %.0f samples/s%n",
        epoch, epochs, loss, metric, heldOut, samplesPerSecond);
    out.flush();
    last = clock.getAsLong();
  }

  /** {@code 42s}, {@code 3m 05s}, {@code 1h 02m}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm %02ds", s / 60, s % 60);
    }
    return String.format("%dh %02dm", s / 3600, s % 3600 / 60);
  }
}
