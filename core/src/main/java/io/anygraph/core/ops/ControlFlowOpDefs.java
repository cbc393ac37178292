package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.Subgraph;
import io.anygraph.core.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Control flow as functional ops holding nested graphs ({@link Subgraph} attributes), TensorFlow
 * control flow v2's design.
 *
 * <p>{@code cond}: inputs {@code [pred, captures..., seed?]}; attributes {@code then} and {@code
 * else}, each taking the captures and returning the outputs, and {@code seeded}. Only the branch
 * {@code pred} picks runs. Outputs: the branch's, then the seed its random ops drew from (int64).
 *
 * <p>{@code whileLoop}: inputs {@code [carries (n), sequences (s), captures..., seed?]}; attributes
 * {@code body} (carries, this step's slice of each sequence, captures → next carries, then {@code
 * stacked} values kept per step), {@code cond} (same inputs → bool scalar; absent when the
 * sequences drive the loop, which then runs once per row), {@code maximumIterations}, {@code
 * reverse} (walk the sequences from the end) and {@code seeded} (the last input is the seed of the
 * body's random ops, as gradient loops replay their forward loop). Outputs: final carries (n),
 * stacked values (k, {@code [steps, ...]}), the carries at the start of every step (n, the history
 * gradients replay), the number of steps and the seed used (int64 scalars). Random ops in a body
 * draw from a stream keyed by the seed and the step's position, so a replay draws the same numbers.
 */
public final class ControlFlowOpDefs {
  public static final String COND_OP = "cond";
  public static final String WHILE_OP = "whileLoop";
  public static final String THEN = "then";
  public static final String ELSE = "else";
  public static final String COND = "cond";
  public static final String BODY = "body";
  public static final String CARRIES = "carries";
  public static final String SEQUENCES = "sequences";
  public static final String STACKED = "stacked";
  public static final String MAXIMUM_ITERATIONS = "maximumIterations";
  public static final String REVERSE = "reverse";
  public static final String SEEDED = "seeded";

  private ControlFlowOpDefs() {}

  static void define() {
    register(OpDef.of(COND_OP, ControlFlowOpDefs::condTypes, ControlFlowGradients::cond));
    register(OpDef.of(WHILE_OP, ControlFlowOpDefs::whileTypes, ControlFlowGradients::whileLoop));
  }

  /** The op names that hold nested graphs. */
  public static boolean holdsSubgraphs(String op) {
    return op.equals(COND_OP) || op.equals(WHILE_OP);
  }

  /** The nested graphs of a node's attributes (empty for other ops). */
  public static List<Subgraph> subgraphs(Attrs attrs) {
    List<Subgraph> out = new ArrayList<>();
    for (Object v : attrs.asMap().values()) {
      if (v instanceof Subgraph s) {
        out.add(s);
      }
    }
    return out;
  }

  /** Layout of a whileLoop node's inputs and outputs, read from its attributes. */
  public record Layout(int carries, int sequences, int stacked, int captures, boolean seeded) {
    public static Layout of(Attrs a, int inputs) {
      int n = (int) a.getLong(CARRIES);
      int s = (int) a.getLong(SEQUENCES, 0);
      boolean seeded = a.getBool(SEEDED, false);
      return new Layout(
          n, s, (int) a.getLong(STACKED, 0), inputs - n - s - (seeded ? 1 : 0), seeded);
    }

    public int firstSequence() {
      return carries;
    }

    public int firstCapture() {
      return carries + sequences;
    }

    public int firstStacked() {
      return carries;
    }

    public int firstHistory() {
      return carries + stacked;
    }

    public int iterationsOutput() {
      return 2 * carries + stacked;
    }

    public int seedOutput() {
      return 2 * carries + stacked + 1;
    }
  }

  static List<TensorType> condTypes(OpContext c) {
    if (c.inputTypes().isEmpty()) {
      throw c.fail("cond needs a predicate");
    }
    TensorType pred = c.in(0);
    if (pred.dtype() != DType.BOOL || pred.shape().hasRank() && pred.shape().rank() != 0) {
      throw c.fail("the predicate must be a bool scalar, got " + pred);
    }
    Subgraph t = c.attrs().getSubgraph(THEN);
    Subgraph f = c.attrs().getSubgraph(ELSE);
    int end = c.inputTypes().size() - (c.attrs().getBool(SEEDED, false) ? 1 : 0);
    List<TensorType> captures = c.inputTypes().subList(1, end);
    checkInputs(c, "then branch", t, captures);
    checkInputs(c, "else branch", f, captures);
    if (t.outputs().size() != f.outputs().size()) {
      throw c.fail(
          "the branches return "
              + t.outputs().size()
              + " and "
              + f.outputs().size()
              + " values: "
              + t.outputTypes()
              + " vs "
              + f.outputTypes());
    }
    List<TensorType> out = new ArrayList<>();
    for (int i = 0; i < t.outputs().size(); i++) {
      TensorType a = t.outputTypes().get(i);
      TensorType b = f.outputTypes().get(i);
      if (a.dtype() != b.dtype()) {
        throw c.fail(
            "the branches return different dtypes for output " + i + ": " + a + " vs " + b);
      }
      Shape joined = join(a.shape(), b.shape());
      if (joined == null) {
        throw c.fail(
            "the branches return different shapes for output " + i + ": " + a + " vs " + b);
      }
      out.add(new TensorType(a.dtype(), joined));
    }
    out.add(TensorType.scalar(DType.INT64)); // the seed the branch's random ops drew from
    return out;
  }

  static List<TensorType> whileTypes(OpContext c) {
    Layout l = Layout.of(c.attrs(), c.inputTypes().size());
    if (l.captures() < 0 || l.carries() < 1) {
      throw c.fail("a loop needs at least one loop variable and its declared inputs");
    }
    List<TensorType> bodyIns = new ArrayList<>();
    long steps = Shape.UNKNOWN;
    for (int i = 0; i < l.firstCapture() + l.captures(); i++) {
      TensorType t = c.in(i);
      if (i >= l.firstSequence() && i < l.firstCapture()) {
        if (!t.shape().hasRank() || t.shape().rank() == 0) {
          throw c.fail("sequence input " + i + " " + t + " needs rank >= 1");
        }
        long len = t.shape().dim(0);
        if (len != Shape.UNKNOWN && steps != Shape.UNKNOWN && len != steps) {
          throw c.fail("sequences have different lengths (" + steps + " and " + len + ")");
        }
        steps = len == Shape.UNKNOWN ? steps : len;
        t = new TensorType(t.dtype(), dropFirst(t.shape()));
      }
      bodyIns.add(t);
    }
    if (l.seeded()) {
      TensorType seed = c.in(c.inputTypes().size() - 1);
      if (seed.dtype() != DType.INT64) {
        throw c.fail("the seed input must be int64, got " + seed);
      }
    }
    Subgraph body = c.attrs().getSubgraph(BODY);
    checkInputs(c, "loop body", body, bodyIns);
    if (body.outputs().size() != l.carries() + l.stacked()) {
      throw c.fail(
          "the loop body returns "
              + body.outputs().size()
              + " values for "
              + l.carries()
              + " loop variables: "
              + body.outputTypes());
    }
    if (c.attrs().has(COND)) {
      Subgraph cond = c.attrs().getSubgraph(COND);
      checkInputs(c, "loop condition", cond, bodyIns);
      TensorType p = cond.outputs().size() == 1 ? cond.outputTypes().get(0) : null;
      if (p == null || p.dtype() != DType.BOOL || p.shape().hasRank() && p.shape().rank() != 0) {
        throw c.fail("the loop condition must return one bool scalar, got " + cond.outputTypes());
      }
    } else if (l.sequences() == 0) {
      throw c.fail("a loop without sequences needs a condition");
    }
    List<TensorType> out = new ArrayList<>();
    for (int i = 0; i < l.carries(); i++) {
      TensorType declared = body.inputTypes().get(i);
      TensorType next = body.outputTypes().get(i);
      if (next.dtype() != declared.dtype()) {
        throw c.fail(
            "the loop body changes loop variable " + i + " from " + declared + " to " + next);
      }
      if (declared.shape().hasRank()
          && next.shape().hasRank()
          && declared.shape().rank() != next.shape().rank()) {
        throw c.fail(
            "the loop body changes the rank of loop variable "
                + i
                + " from "
                + declared
                + " to "
                + next);
      }
      if (!declared.shape().accepts(next.shape())) {
        throw c.fail(
            "the loop body changes loop variable " + i + " from " + declared + " to " + next);
      }
      out.add(declared);
    }
    for (int i = 0; i < l.stacked(); i++) {
      out.add(stackedType(steps, body.outputTypes().get(l.carries() + i)));
    }
    for (int i = 0; i < l.carries(); i++) {
      out.add(stackedType(steps, body.inputTypes().get(i)));
    }
    out.add(TensorType.scalar(DType.INT64));
    out.add(TensorType.scalar(DType.INT64));
    return out;
  }

  private static void checkInputs(OpContext c, String what, Subgraph g, List<TensorType> given) {
    if (g.inputs().size() != given.size()) {
      throw c.fail(
          "the "
              + what
              + " takes "
              + g.inputs().size()
              + " inputs, the node gives "
              + given.size());
    }
    for (int i = 0; i < given.size(); i++) {
      TensorType want = g.inputTypes().get(i);
      TensorType got = given.get(i);
      if (want.dtype() != got.dtype() || !want.shape().accepts(got.shape())) {
        throw c.fail("the " + what + "'s input " + i + " is " + want + ", given " + got);
      }
    }
  }

  /** The most specific shape both may have, or null when they disagree. */
  static Shape join(Shape a, Shape b) {
    if (!a.hasRank() || !b.hasRank()) {
      return Shape.unknownRank();
    }
    if (!a.accepts(b)) {
      return null;
    }
    long[] d = a.dims();
    for (int i = 0; i < d.length; i++) {
      if (d[i] != b.dim(i)) {
        d[i] = Shape.UNKNOWN;
      }
    }
    return Shape.of(d);
  }

  static Shape dropFirst(Shape s) {
    long[] d = s.dims();
    return Shape.of(Arrays.copyOfRange(d, 1, d.length));
  }

  private static TensorType stackedType(long steps, TensorType each) {
    if (!each.shape().hasRank()) {
      return new TensorType(each.dtype(), Shape.unknownRank());
    }
    long[] d = new long[each.shape().rank() + 1];
    d[0] = steps;
    System.arraycopy(each.shape().dims(), 0, d, 1, d.length - 1);
    return new TensorType(each.dtype(), Shape.of(d));
  }
}
