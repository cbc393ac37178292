package io.anygraph.partition.sharding;

import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Subgraph;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.ControlFlowOpDefs;
import io.anygraph.core.ops.ControlFlowOpDefs.Layout;
import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sharding rules of {@code cond} and {@code whileLoop}: the node runs on one device in one stage,
 * and stays split over the batch when its nested graphs work row by row. That is decided by running
 * the sharding rules over the nested graph itself: every op inside must keep its inputs as they
 * come (no op asks for a whole value), the predicate or loop condition must be replicated (so every
 * shard takes the same branch and the same number of steps), and a loop variable must come out
 * spread as it went in. A loop variable that starts as zeros may be a partial sum (the gradient of
 * a weight a backward loop accumulates). Otherwise the node takes its inputs whole.
 */
final class ControlFlowSharding {
  private ControlFlowSharding() {}

  static List<Sharding> cond(RuleContext c) {
    if (!c.anyNotReplicated()) {
      return c.replicated();
    }
    if (!c.in(0).isReplicated()) {
      return c.wholeAll();
    }
    int end = c.inputs() - (c.attrs().getBool(ControlFlowOpDefs.SEEDED, false) ? 1 : 0);
    List<Sharding> captures = inputs(c, 1, end);
    List<Sharding> t = propagate(c.attrs().getSubgraph(ControlFlowOpDefs.THEN), captures);
    List<Sharding> f = propagate(c.attrs().getSubgraph(ControlFlowOpDefs.ELSE), captures);
    if (t == null || !t.equals(f)) {
      return c.wholeAll();
    }
    List<Sharding> out = new ArrayList<>(t);
    out.add(Sharding.REPLICATED); // the seed
    return out;
  }

  static List<Sharding> whileLoop(RuleContext c) {
    if (!c.anyNotReplicated()) {
      return c.replicated();
    }
    Layout l = Layout.of(c.attrs(), c.inputs());
    List<Sharding> result = whileLoop(c, l, false);
    if (result == null) { // a loop variable that starts as zeros may carry a partial sum
      result = whileLoop(c, l, true);
    }
    return result == null ? c.wholeAll() : result;
  }

  /** The loop's output spread, or null when its body does not keep its inputs' spread. */
  private static List<Sharding> whileLoop(RuleContext c, Layout l, boolean zerosArePartial) {
    Subgraph body = c.attrs().getSubgraph(ControlFlowOpDefs.BODY);
    List<Sharding> in = new ArrayList<>();
    for (int i = 0; i < l.carries(); i++) {
      Sharding s = c.in(i);
      in.add(zerosArePartial && s.isReplicated() && isZeros(c.input(i)) ? Sharding.PARTIAL : s);
    }
    for (int i = l.firstSequence(); i < l.firstCapture(); i++) {
      Sharding s = c.in(i);
      if (s.isSharded() && s.axis() == 0 || s.isPartial()) {
        return null; // the steps walk axis 0: every shard must see all of it
      }
      in.add(s.isSharded() ? Sharding.sharded(s.axis() - 1) : s);
    }
    for (int i = l.firstCapture(); i < l.firstCapture() + l.captures(); i++) {
      in.add(c.in(i));
    }
    if (!splitsOnlyUnknownDims(body, in)) {
      return null;
    }
    List<Sharding> out = propagate(body, in);
    if (out == null) {
      return null;
    }
    if (c.attrs().has(ControlFlowOpDefs.COND)) {
      List<Sharding> p = propagate(c.attrs().getSubgraph(ControlFlowOpDefs.COND), in);
      if (p == null || !p.get(0).isReplicated()) {
        return null; // shards could stop after different numbers of steps
      }
    }
    for (int i = 0; i < l.carries(); i++) {
      if (!out.get(i).equals(in.get(i))) {
        return null; // not a fixed point: the next step would see another spread
      }
    }
    List<Sharding> result = new ArrayList<>(in.subList(0, l.carries()));
    for (int i = 0; i < l.stacked(); i++) {
      result.add(stacked(out.get(l.carries() + i)));
    }
    for (int i = 0; i < l.carries(); i++) {
      result.add(stacked(in.get(i)));
    }
    result.add(Sharding.REPLICATED); // steps
    result.add(Sharding.REPLICATED); // seed
    return result;
  }

  /** A value kept per step gains axis 0. */
  private static Sharding stacked(Sharding s) {
    return s.isSharded() ? Sharding.sharded(s.axis() + 1) : s;
  }

  private static boolean isZeros(Tensor t) {
    Node n = t.node();
    return n.op().equals("zerosLike")
        || n.op().equals(OpNames.FILL) && n.attrs().getDouble("value") == 0.0;
  }

  private static List<Sharding> inputs(RuleContext c, int from, int to) {
    List<Sharding> in = new ArrayList<>();
    for (int i = from; i < to; i++) {
      in.add(c.in(i));
    }
    return in;
  }

  /** A split axis of a nested graph's input must be unknown there (shards differ in size). */
  private static boolean splitsOnlyUnknownDims(Subgraph g, List<Sharding> in) {
    for (int i = 0; i < in.size(); i++) {
      Shape s = g.inputs().get(i).shape();
      if (in.get(i).isSharded() && (!s.hasRank() || s.dim(in.get(i).axis()) != Shape.UNKNOWN)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The spread of a nested graph's outputs given its inputs', by the same rules, or null when some
   * op inside would need a whole value (or is stateful: its draws differ per shard).
   */
  static List<Sharding> propagate(Subgraph g, List<Sharding> inputs) {
    Map<Tensor, Sharding> spread = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      spread.put(g.inputs().get(i), inputs.get(i));
    }
    for (Node n : g.graph().nodes()) {
      if (n.op().equals(OpNames.PLACEHOLDER)) {
        continue;
      }
      if (OpRegistry.get(n.op()).stateful()) {
        return null;
      }
      List<Sharding> in =
          n.inputs().stream().map(t -> spread.getOrDefault(t, Sharding.REPLICATED)).toList();
      RuleContext rc = new RuleContext(n.op(), n.attrs(), n.inputs(), n.outputs(), in);
      List<Sharding> out = ShardingRules.get(n.op()).apply(rc);
      for (int i = 0; i < in.size(); i++) {
        if (rc.needsWhole(i)) {
          return null;
        }
      }
      for (int i = 0; i < out.size(); i++) {
        spread.put(g.graph().output(n, i), out.get(i));
      }
    }
    return g.outputs().stream().map(t -> spread.getOrDefault(t, Sharding.REPLICATED)).toList();
  }
}
