package io.anygraph.examples.bench;

import io.anygraph.local.exec.OpProfile;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code bench --profile}: where an Anygraph training step spends its time, per op and for the most
 * expensive nodes, measured by the local runner's {@link OpProfile} after a warm-up.
 */
final class OpTable {
  /** Nodes listed (the most expensive); {@code -Danygraph.profileNodes=60} lists more. */
  private static final int TOP_NODES = Integer.getInteger("anygraph.profileNodes", 12);

  private OpTable() {}

  /** Warms {@code step} up, profiles it for {@code seconds}, and prints the tables. */
  static void print(PrintStream out, Runnable step, double seconds) {
    Harness.runFor(step, seconds);
    long start = System.nanoTime();
    OpProfile p = OpProfile.start();
    try (p) {
      Harness.runFor(step, seconds);
    }
    double wallMs = (System.nanoTime() - start) / 1e6 / p.runs();
    List<OpProfile.Row> ops = p.byOp();
    double kernelMs = ops.stream().mapToLong(OpProfile.Row::nanos).sum() / 1e6 / p.runs();
    out.printf(
        "  profile: %.2f ms a step (%d steps), %.2f ms of it in kernels%n",
        wallMs, p.runs(), kernelMs);
    rows(out, ops, p.byNode(), p.runs(), kernelMs);
  }

  /** A peer engine's own op times ({@link Workload#opTimes}), in the same tables. */
  static void printPeer(PrintStream out, Workload.OpTimes times) {
    double kernelMs =
        times.byOp().stream().mapToLong(OpProfile.Row::nanos).sum() / 1e6 / times.steps();
    out.printf(
        "  profile: %d traced steps (tracing slows each op a little), %.2f ms a step in kernels%n",
        times.steps(), kernelMs);
    rows(out, times.byOp(), times.byNode(), times.steps(), kernelMs);
  }

  private static void rows(
      PrintStream out,
      List<OpProfile.Row> byOp,
      List<OpProfile.Row> byNode,
      long runs,
      double kernelMs) {
    out.printf("  %-22s %7s %9s %6s%n", "op", "calls", "ms/step", "share");
    for (OpProfile.Row r : byOp) {
      row(out, r, runs, kernelMs);
    }
    out.printf("  %-40s%n", "most expensive nodes:");
    for (OpProfile.Row r : byNode.subList(0, Math.min(TOP_NODES, byNode.size()))) {
      row(out, r, runs, kernelMs);
    }
  }

  private static void row(PrintStream out, OpProfile.Row r, long runs, double kernelMs) {
    double ms = r.nanos() / 1e6 / runs;
    out.printf(
        "  %-22s %7.1f %9.3f %5.1f%%%n",
        r.name(), (double) r.calls() / runs, ms, 100 * ms / kernelMs);
  }
}
