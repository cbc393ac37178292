package io.anygraph.partition.sharding;

import static io.anygraph.partition.sharding.Sharding.PARTIAL;
import static io.anygraph.partition.sharding.Sharding.REPLICATED;

import io.anygraph.core.Shape;
import io.anygraph.core.ops.ControlFlowOpDefs;
import io.anygraph.core.ops.OpNames;
import io.anygraph.partition.common.PlanException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How each op spreads over shards, keyed by op name (as JAX keys its batching rules by primitive).
 * A rule maps the shardings of a node's inputs to those of its outputs, asking for an input whole
 * where the op cannot work on pieces; ops that always work on whole values are listed as such, and
 * an op in neither place fails loudly. Partial values (summands) flow only through ops that are
 * sums themselves, so each gradient is all-reduced once, before the optimizer scales it.
 */
public final class ShardingRules {
  /** One op's rule. */
  @FunctionalInterface
  public interface Rule {
    List<Sharding> apply(RuleContext c);
  }

  /** A rule and the inputs whose shape alone the op reads (their values need not be whole). */
  private record Entry(Rule rule, Set<Integer> shapeOnly) {}

  private static final Map<String, Entry> RULES = new HashMap<>();

  /**
   * Ops that always take every input whole: sources without value inputs, state, and the boundaries
   * the partitioner itself inserts. Listed, so that an op with neither a rule nor a place here
   * fails loudly (and {@code ShardingCoverageTest} names it) instead of silently running whole.
   */
  private static final Set<String> WHOLE_ONLY =
      Set.of(
          OpNames.PLACEHOLDER,
          OpNames.VARIABLE,
          OpNames.FILL,
          "constant",
          "randomNormal",
          "randomUniform",
          OpNames.SEND,
          OpNames.RECV,
          OpNames.ALL_REDUCE,
          OpNames.ALL_GATHER,
          OpNames.PICK_REPLICA);

  static {
    for (String op : List.of("identity", "neg")) {
      rule(op, c -> unary(c, true));
    }
    for (String op :
        List.of(
            "square",
            "sqrt",
            "exp",
            "log",
            "abs",
            "sign",
            "relu",
            "sigmoid",
            "tanh",
            "oneHot",
            "checkNumerics")) {
      rule(op, c -> unary(c, false));
    }
    rule(
        "cast", c -> unary(c, c.dtype(0).isFloating() && c.attrs().getDType("dtype").isFloating()));
    for (String op : List.of("add", "sub")) {
      rule(op, c -> elementwise(c, true));
    }
    for (String op :
        List.of(
            "mul",
            "div",
            "floorDiv",
            "floorMod",
            "pow",
            "maximum",
            "minimum",
            "greater",
            "greaterEqual",
            "less",
            "lessEqual",
            "equal",
            "notEqual",
            "select",
            "reluGrad")) {
      rule(op, c -> elementwise(c, false));
    }
    rule("reduceSum", c -> reduce(c, true));
    rule("reduceMean", c -> reduce(c, true)); // over the sharded axis: rewritten first
    rule("reduceMax", c -> reduce(c, false));
    rule("size", c -> c.replicated(), 0); // over the sharded axis: rewritten first
    rule("argMax", c -> alongAxis(c, true));
    rule("softmax", c -> alongAxis(c, false));
    rule("logSoftmax", c -> alongAxis(c, false));
    rule("softmaxCrossEntropy", ShardingRules::byRows);
    rule("softmaxCrossEntropyGrad", ShardingRules::byRows);
    rule("onesLike", ShardingRules::shapeOf, 0);
    rule("zerosLike", ShardingRules::shapeOf, 0);
    rule("randomUniformLike", ShardingRules::shapeOf, 0);
    rule("broadcastLike", LayoutRules::broadcastLike, 1);
    rule("reduceSumLike", LayoutRules::reduceSumLike, 1);
    rule("reshapeLike", LayoutRules::reshapeLike, 1);
    rule("reshape", LayoutRules::reshape);
    rule("matmul", ShardingRules::matmul);
    rule("transpose", LayoutRules::transpose);
    rule("expandDims", c -> LayoutRules.moveAxis(c, false));
    rule("squeeze", c -> LayoutRules.moveAxis(c, true));
    rule(
        "reverse",
        c -> LayoutRules.keepsAxisUnless(c, c.axes("axes", Math.max(c.rank(0), 0)), true));
    rule("pad", LayoutRules::pad);
    rule("slice", c -> LayoutRules.keepsAxisUnless(c, LayoutRules.slicedAxes(c), true));
    rule("sliceGrad", LayoutRules::sliceGrad, 0);
    rule("concat", LayoutRules::concat);
    // shapes as values: a shard's shape is not the whole value's (a partial's is)
    rule("shape", c -> c.in(0).isSharded() ? c.wholeAll() : c.replicated(), 0);
    rule("reducedShape", RuleContext::wholeAll);
    rule("concatOffset", RuleContext::wholeAll);
    // begin, size and target shapes come from the whole value: a split axis cannot be followed
    rule("reshapeTo", c -> linearIn(c, 0));
    rule("dynamicSlice", c -> linearIn(c, 0));
    rule("dynamicSliceGrad", c -> linearIn(c, 1), 0);
    rule(
        "gather",
        c -> c.in(0).isReplicated() && !c.in(1).isPartial() ? List.of(c.in(1)) : c.wholeAll());
    rule("scatterAdd", ShardingRules::scatterAdd, 0);
    rule("conv2d", c -> batchwise(c, List.of(0), List.of(1)));
    for (String op : List.of("maxPool", "avgPool")) {
      rule(op, c -> batchwise(c, List.of(0), List.of()));
    }
    for (String op : List.of("maxPoolGrad", "avgPoolGrad", "maxPoolGradGrad")) {
      rule(op, c -> batchwise(c, List.of(0, 1), List.of()));
    }
    rule("conv2dGrad", ShardingRules::conv2dGrad);
    for (String op : List.of("assign", "assignAdd")) {
      rule(op, c -> List.of(c.whole(1)));
    }
    rule(OpNames.GROUP, c -> c.replicated()); // runs its inputs; needs none of their values
    // layers' building blocks: along their axis (topK: the last), pieces along any other axis
    rule("cumsum", c -> alongAxis(c, false));
    rule("topK", c -> Collections.nCopies(c.outputCount(), alongAxis(c, false).get(0)));
    rule(ControlFlowOpDefs.COND_OP, ControlFlowSharding::cond);
    rule(ControlFlowOpDefs.WHILE_OP, ControlFlowSharding::whileLoop);
    TrainingRules.define();
  }

  private ShardingRules() {}

  static void rule(String op, Rule rule, Integer... shapeOnly) {
    if (RULES.put(op, new Entry(rule, Set.of(shapeOnly))) != null) {
      throw new IllegalStateException("two sharding rules for op '" + op + "'");
    }
  }

  /** The op's rule; an op with none that is not whole-only fails, naming the op. */
  public static Rule get(String op) {
    Entry e = RULES.get(op);
    if (e != null) {
      return e.rule();
    }
    if (WHOLE_ONLY.contains(op)) {
      return RuleContext::wholeAll;
    }
    throw new PlanException(
        "No sharding rule for op '"
            + op
            + "': add one to ShardingRules, or"
            + " list the op there as whole-only");
  }

  /** Whether the op reads only the shape of input {@code input}. */
  public static boolean isShapeOnly(String op, int input) {
    Entry e = RULES.get(op);
    return e != null && e.shapeOnly().contains(input);
  }

  /** The ops that have a rule (for coverage tests). */
  public static Set<String> ruled() {
    return Set.copyOf(RULES.keySet());
  }

  /** The ops that always take every input whole (for coverage tests). */
  public static Set<String> wholeOnly() {
    return WHOLE_ONLY;
  }

  /** Sharded stays sharded; partial only through a linear op. */
  static List<Sharding> unary(RuleContext c, boolean linear) {
    Sharding s = c.in(0);
    return List.of(s.isPartial() && !linear ? c.whole(0) : s);
  }

  /**
   * NumPy-broadcasting ops: sharded inputs must split the same output axis, and replicated ones
   * must broadcast along it (size 1 or absent there). Partials pass only through sums of partials
   * (add, sub), never mixed with replicated values, which would be counted per shard.
   */
  private static List<Sharding> elementwise(RuleContext c, boolean sumOfPartials) {
    int out = c.outRank(0);
    Integer axis = null;
    boolean sharded = false;
    boolean partial = false;
    boolean replicated = false;
    for (int i = 0; i < c.inputs(); i++) {
      Sharding s = c.in(i);
      if (s.isSharded()) {
        if (out < 0 || c.rank(i) < 0) {
          return c.wholeAll();
        }
        int a = s.axis() + out - c.rank(i);
        if (axis != null && axis != a) {
          return c.wholeAll();
        }
        axis = a;
        sharded = true;
      }
      partial |= s.isPartial();
      replicated |= s.isReplicated();
    }
    if (sharded && partial) {
      return c.wholeAll();
    }
    if (sharded) {
      for (int i = 0; i < c.inputs(); i++) {
        if (c.in(i).isReplicated() && !broadcastsAlong(c.shape(i), axis - (out - c.rank(i)))) {
          return c.wholeAll();
        }
      }
      return List.of(Sharding.sharded(axis));
    }
    if (partial) {
      if (sumOfPartials && !replicated) {
        return List.of(PARTIAL);
      }
      return c.wholeAll();
    }
    return c.replicated();
  }

  /** A replicated operand can meet a sharded axis only by broadcasting along it. */
  static boolean broadcastsAlong(Shape s, int dim) {
    return s.hasRank() && (dim < 0 || s.dim(dim) == 1);
  }

  /** Sums and means over the sharded axis give partials; other axes keep it sharded. */
  private static List<Sharding> reduce(RuleContext c, boolean sum) {
    Sharding s = c.in(0);
    if (s.isPartial()) {
      return sum ? List.of(PARTIAL) : c.wholeAll();
    }
    if (!s.isSharded()) {
      return c.replicated();
    }
    if (c.rank(0) < 0) {
      return c.wholeAll();
    }
    List<Integer> axes = c.axes("axes", c.rank(0));
    if (axes.contains(s.axis())) {
      return sum ? List.of(PARTIAL) : c.wholeAll();
    }
    boolean keep = c.attrs().getBool("keepDims", false);
    long before = axes.stream().filter(a -> a < s.axis()).count();
    return List.of(Sharding.sharded(keep ? s.axis() : s.axis() - (int) before));
  }

  /** argMax, softmax: fine along another axis than the sharded one. */
  private static List<Sharding> alongAxis(RuleContext c, boolean removesAxis) {
    Sharding s = c.in(0);
    if (s.isPartial() || s.isSharded() && c.rank(0) < 0) {
      return c.wholeAll();
    }
    if (!s.isSharded()) {
      return c.replicated();
    }
    int axis = c.axis("axis", -1, c.rank(0));
    if (axis == s.axis()) {
      return c.wholeAll();
    }
    return List.of(Sharding.sharded(removesAxis && axis < s.axis() ? s.axis() - 1 : s.axis()));
  }

  /**
   * Cross-entropy and its gradient, row by row along the last (class) axis: every input sharded
   * along one axis before the classes (the loss and dy lack that axis, so it has one index in all),
   * or all replicated; else all whole.
   */
  private static List<Sharding> byRows(RuleContext c) {
    Integer axis = null;
    boolean replicated = true;
    for (int i = 0; i < c.inputs(); i++) {
      Sharding s = c.in(i);
      replicated &= s.isReplicated();
      if (!s.isSharded() && !s.isReplicated()) {
        return c.wholeAll();
      }
      if (s.isSharded()) {
        if (c.rank(0) < 0 || s.axis() >= c.rank(0) - 1 || (axis != null && axis != s.axis())) {
          return c.wholeAll();
        }
        axis = s.axis();
      }
    }
    if (replicated) {
      return c.replicated();
    }
    for (int i = 0; i < c.inputs(); i++) {
      if (!c.in(i).isSharded()) {
        return c.wholeAll(); // a replicated operand beside a sharded one: not split alike
      }
    }
    return List.of(Sharding.sharded(axis));
  }

  /**
   * Ops linear in input {@code value} whose other inputs are shapes or indices: a partial stays
   * partial and a replicated value replicated while the others are replicated; else all whole.
   */
  private static List<Sharding> linearIn(RuleContext c, int value) {
    for (int i = 0; i < c.inputs(); i++) {
      if (i != value && !c.in(i).isReplicated()) {
        return c.wholeAll();
      }
    }
    Sharding v = c.in(value);
    return v.isSharded() ? c.wholeAll() : List.of(v);
  }

  /** Ops that read only the shape: a partial has the whole value's shape. */
  private static List<Sharding> shapeOf(RuleContext c) {
    return List.of(c.in(0).isSharded() ? c.in(0) : REPLICATED);
  }

  /**
   * C = op(A) op(B) on matrices or batches of them: rows of A or columns of B split C, a split
   * batch axis stays split (the other operand broadcasting along it, or split the same way), and a
   * split contraction sums partials.
   */
  private static List<Sharding> matmul(RuleContext c) {
    Sharding a = c.in(0);
    Sharding b = c.in(1);
    if (a.isReplicated() && b.isReplicated()) {
      return c.replicated();
    }
    if (a.isPartial() && b.isReplicated() || a.isReplicated() && b.isPartial()) {
      return List.of(PARTIAL);
    }
    int ra = c.rank(0);
    int rb = c.rank(1);
    int out = c.outRank(0);
    if (ra < 2 || rb < 2 || out < 2) {
      return c.wholeAll();
    }
    boolean ta = c.attrs().getBool("transposeA", false);
    boolean tb = c.attrs().getBool("transposeB", false);
    int aRow = ra - (ta ? 1 : 2);
    int bCol = rb - (tb ? 2 : 1);
    if (a.isSharded() && a.axis() == aRow && b.isReplicated()) {
      return List.of(Sharding.sharded(out - 2));
    }
    if (b.isSharded() && b.axis() == bCol && a.isReplicated()) {
      return List.of(Sharding.sharded(out - 1));
    }
    if (a.isSharded()
        && a.axis() == ra - (ta ? 2 : 1)
        && b.isSharded()
        && b.axis() == rb - (tb ? 1 : 2)) {
      return List.of(PARTIAL);
    }
    Integer axisA = batchAxis(c, 0, out);
    Integer axisB = batchAxis(c, 1, out);
    if (axisA != null && axisB != null) {
      return axisA.equals(axisB) ? List.of(Sharding.sharded(axisA)) : c.wholeAll();
    }
    if (axisA != null || axisB != null) {
      int axis = axisA != null ? axisA : axisB;
      int other = axisA != null ? 1 : 0;
      if (c.in(other).isReplicated()
          && broadcastsAlong(c.shape(other), axis - (out - c.rank(other)))) {
        return List.of(Sharding.sharded(axis));
      }
    }
    return c.wholeAll();
  }

  /** The output axis of a batched matmul that input i splits, if it is split along a batch axis. */
  private static Integer batchAxis(RuleContext c, int i, int out) {
    Sharding s = c.in(i);
    return s.isSharded() && s.axis() < c.rank(i) - 2 ? s.axis() + out - c.rank(i) : null;
  }

  /** scatterAdd(params, indices, dy): rows of every shard summed into params' shape. */
  private static List<Sharding> scatterAdd(RuleContext c) {
    if (c.in(0).isReplicated()
        && c.in(1).isSharded()
        && c.in(2).isSharded()
        && c.in(1).axis() == c.in(2).axis()) {
      return List.of(PARTIAL);
    }
    return c.in(1).isReplicated() && c.in(2).isReplicated() ? c.replicated() : c.wholeAll();
  }

  /**
   * Per-example ops (batch first in NHWC and NCHW): {@code batched} inputs split along the batch,
   * {@code shared} ones (filters) replicated.
   */
  private static List<Sharding> batchwise(
      RuleContext c, List<Integer> batched, List<Integer> shared) {
    boolean split =
        batched.stream().allMatch(i -> c.in(i).isSharded() && c.in(i).axis() == 0)
            && shared.stream().allMatch(i -> c.in(i).isReplicated());
    if (split) {
      return List.of(Sharding.sharded(0));
    }
    return c.anyNotReplicated() ? c.wholeAll() : c.replicated();
  }

  /** conv2dGrad(x, f, dy) = (dX per example, dF summed over the batch). */
  private static List<Sharding> conv2dGrad(RuleContext c) {
    if (c.in(0).isSharded()
        && c.in(0).axis() == 0
        && c.in(1).isReplicated()
        && c.in(2).isSharded()
        && c.in(2).axis() == 0) {
      return List.of(Sharding.sharded(0), PARTIAL);
    }
    return c.anyNotReplicated() ? c.wholeAll() : c.replicated();
  }
}
