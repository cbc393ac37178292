package io.anygraph.local.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time per op while it is open, for programs run on this thread: a benchmark's view of where a
 * step spends its time. Closed profiles cost nothing; an open one adds two clock reads a step.
 *
 * <pre>{@code
 * try (OpProfile p = OpProfile.start()) {
 *   session.run(train, feeds);
 *   p.byOp().forEach(r -> System.out.println(r.name() + " " + r.nanos()));
 * }
 * }</pre>
 *
 * <p>The steps of a nested program (a loop body, a branch) are profiled too, each under its own row
 * labelled with the node that ran it: {@code "loop (while) > add (add)"}, whose calls count the
 * body's iterations. Every row holds its own time only: a control-flow node's row leaves out the
 * time of its body's steps, so the rows add up to the time spent in kernels, and {@link #runs}
 * counts the outermost runs only.
 */
public final class OpProfile implements AutoCloseable {
  private static final ThreadLocal<OpProfile> CURRENT = new ThreadLocal<>();

  /** A total: wall time in kernels and how many times they ran, for an op or one node. */
  public record Row(String name, long nanos, long calls) {}

  private final Map<String, long[]> byOp = new HashMap<>();
  private final Map<String, long[]> byNode = new HashMap<>();
  private long runs;

  /** The steps running now on this thread, outermost first: labels and their nested steps' time. */
  private final Deque<String> open = new ArrayDeque<>();

  private final Deque<long[]> nestedNanos = new ArrayDeque<>();

  private OpProfile() {}

  /** Starts profiling runs on this thread (replacing a profile already open here). */
  public static OpProfile start() {
    OpProfile p = new OpProfile();
    CURRENT.set(p);
    return p;
  }

  static OpProfile current() {
    return CURRENT.get();
  }

  /** How many steps are running now (a program run starts at this depth; see {@link #endRun}). */
  int depth() {
    return open.size();
  }

  /** A step of node {@code node} starts: its row is labelled under the steps running it. */
  void beginStep(String op, String node) {
    String label = node + " (" + op + ")";
    open.push(open.isEmpty() ? label : open.peek() + " > " + label);
    nestedNanos.push(new long[1]);
  }

  /** The step begun last ended after {@code nanos}, its nested steps' time included. */
  void endStep(String op, long nanos) {
    String label = open.pop();
    long own = nanos - nestedNanos.pop()[0];
    if (!nestedNanos.isEmpty()) {
      nestedNanos.peek()[0] += nanos;
    }
    add(byOp, op, own);
    add(byNode, label, own);
  }

  private static void add(Map<String, long[]> totals, String key, long nanos) {
    long[] t = totals.computeIfAbsent(key, k -> new long[2]);
    t[0] += nanos;
    t[1]++;
  }

  /**
   * A program run that started at {@code depth} ended: steps it left open (it failed) are dropped,
   * and an outermost run that completed is counted.
   */
  void endRun(int depth, boolean completed) {
    while (open.size() > depth) {
      open.pop();
      nestedNanos.pop();
    }
    if (completed && depth == 0) {
      runs++;
    }
  }

  /** How many outermost program runs were profiled (a loop body's runs are not counted). */
  public long runs() {
    return runs;
  }

  /** Totals per op, the most expensive first. */
  public List<Row> byOp() {
    return sorted(byOp);
  }

  /** Totals per node ({@code "name (op)"}), the most expensive first. */
  public List<Row> byNode() {
    return sorted(byNode);
  }

  private static List<Row> sorted(Map<String, long[]> totals) {
    List<Row> rows = new ArrayList<>();
    totals.forEach((k, t) -> rows.add(new Row(k, t[0], t[1])));
    rows.sort(Comparator.comparingLong(Row::nanos).reversed());
    return rows;
  }

  @Override
  public void close() {
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }
}
