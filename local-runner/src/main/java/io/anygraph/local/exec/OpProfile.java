package io.anygraph.local.exec;

import java.util.ArrayList;
import java.util.Comparator;
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
 */
public final class OpProfile implements AutoCloseable {
  private static final ThreadLocal<OpProfile> CURRENT = new ThreadLocal<>();

  /** A total: wall time in kernels and how many times they ran, for an op or one node. */
  public record Row(String name, long nanos, long calls) {}

  private final Map<String, long[]> byOp = new HashMap<>();
  private final Map<String, long[]> byNode = new HashMap<>();
  private long runs;

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

  void record(String op, String node, long nanos) {
    add(byOp, op, nanos);
    add(byNode, node + " (" + op + ")", nanos);
  }

  private static void add(Map<String, long[]> totals, String key, long nanos) {
    long[] t = totals.computeIfAbsent(key, k -> new long[2]);
    t[0] += nanos;
    t[1]++;
  }

  void countRun() {
    runs++;
  }

  /** How many program runs were profiled. */
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
