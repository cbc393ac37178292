package io.anygraph.partition.sharding;

import static io.anygraph.partition.sharding.Sharding.PARTIAL;
import static io.anygraph.partition.sharding.Sharding.REPLICATED;
import static io.anygraph.partition.sharding.ShardingRules.broadcastsAlong;

import io.anygraph.core.Shape;
import io.anygraph.partition.sharding.Sharding.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Sharding rules of the ops that move elements around (reshape, transpose, broadcast, slice, pad,
 * concat): they keep a sharding as long as the sharded axis keeps its meaning.
 */
final class LayoutRules {
  private LayoutRules() {}

  /**
   * For ops taking a shape from a replicated {@code like}: a linear op of the value, so a partial
   * stays partial and a replicated value replicated; anything else needs both whole.
   */
  private static List<Sharding> sameAsValue(RuleContext c, Sharding value, Sharding like) {
    if (!like.isSharded() && (value.isPartial() || value.isReplicated())) {
      return List.of(value.isPartial() ? PARTIAL : REPLICATED);
    }
    return c.wholeAll();
  }

  static List<Sharding> broadcastLike(RuleContext c) {
    Sharding a = c.in(0);
    Sharding like = c.in(1);
    int gap = c.rank(1) - c.rank(0);
    if (c.rank(0) < 0 || c.rank(1) < 0) {
      return a.isReplicated() && like.isReplicated() ? c.replicated() : c.wholeAll();
    }
    if (like.isSharded() && a.isReplicated() && broadcastsAlong(c.shape(0), like.axis() - gap)) {
      return List.of(like);
    }
    if (like.isSharded() && a.isSharded() && a.axis() + gap == like.axis()) {
      return List.of(like);
    }
    return sameAsValue(c, a, like);
  }

  /** The adjoint of broadcasting: summing a sharded axis away (a bias's gradient) is partial. */
  static List<Sharding> reduceSumLike(RuleContext c) {
    Sharding a = c.in(0);
    Sharding like = c.in(1);
    if (a.isSharded() && c.rank(0) >= 0 && c.rank(1) >= 0) {
      int aligned = a.axis() - (c.rank(0) - c.rank(1));
      if (like.isSharded() && like.axis() == aligned) {
        return List.of(like);
      }
      if (like.isReplicated() && (aligned < 0 || c.shape(1).dim(aligned) == 1)) {
        return List.of(PARTIAL);
      }
    }
    return sameAsValue(c, a, like);
  }

  /** Rows stay rows when both shapes keep the batch axis first with equal rows. */
  static List<Sharding> reshapeLike(RuleContext c) {
    Sharding x = c.in(0);
    Sharding like = c.in(1);
    if (x.isSharded()
        && like.isSharded()
        && x.axis() == 0
        && like.axis() == 0
        && rowSize(c.shape(0)) > 0
        && rowSize(c.shape(0)) == rowSize(c.shape(1))) {
      return List.of(like);
    }
    return sameAsValue(c, x, like);
  }

  /** reshape keeps a batch sharding when the first target dimension is the batch (-1). */
  static List<Sharding> reshape(RuleContext c) {
    Sharding x = c.in(0);
    if (!x.isSharded()) {
      return List.of(x);
    }
    long[] target = c.attrs().getLongs("shape");
    long rest = 1;
    for (int i = 1; i < target.length; i++) {
      rest = target[i] < 0 ? -1 : rest * target[i];
    }
    if (x.axis() == 0
        && target.length > 0
        && target[0] == -1
        && rest > 0
        && rowSize(c.shape(0)) == rest) {
      return List.of(Sharding.sharded(0));
    }
    return c.wholeAll();
  }

  /** Elements per index of axis 0 when the other dimensions are known, else -1. */
  static long rowSize(Shape s) {
    if (!s.hasRank() || s.rank() == 0) {
      return -1;
    }
    long n = 1;
    for (int i = 1; i < s.rank(); i++) {
      if (s.dim(i) == Shape.UNKNOWN) {
        return -1;
      }
      n *= s.dim(i);
    }
    return n;
  }

  static List<Sharding> transpose(RuleContext c) {
    Sharding x = c.in(0);
    if (!x.isSharded()) {
      return List.of(x);
    }
    int r = c.rank(0);
    if (r < 0) {
      return c.wholeAll();
    }
    if (!c.attrs().has("perm")) {
      return List.of(Sharding.sharded(r - 1 - x.axis()));
    }
    long[] perm = c.attrs().getLongs("perm");
    for (int i = 0; i < perm.length; i++) {
      if ((perm[i] < 0 ? perm[i] + r : perm[i]) == x.axis()) {
        return List.of(Sharding.sharded(i));
      }
    }
    return c.wholeAll();
  }

  /** expandDims shifts the sharded axis; squeeze must not remove it. */
  static List<Sharding> moveAxis(RuleContext c, boolean squeeze) {
    Sharding x = c.in(0);
    if (!x.isSharded()) {
      return List.of(x);
    }
    int r = c.rank(0);
    if (r < 0) {
      return c.wholeAll();
    }
    if (!squeeze) {
      int a = c.axis("axis", 0, r + 1);
      return List.of(Sharding.sharded(a <= x.axis() ? x.axis() + 1 : x.axis()));
    }
    if (!c.attrs().has("axes")) {
      return c.wholeAll(); // which axes have size 1 depends on the shard
    }
    List<Integer> axes = c.axes("axes", r);
    if (axes.contains(x.axis())) {
      return c.wholeAll();
    }
    return List.of(
        Sharding.sharded(x.axis() - (int) axes.stream().filter(a -> a < x.axis()).count()));
  }

  /** Ops that act per axis: fine while they leave the sharded axis alone. */
  static List<Sharding> keepsAxisUnless(RuleContext c, List<Integer> touched, boolean linear) {
    Sharding x = c.in(0);
    if (x.isPartial()) {
      return linear ? List.of(PARTIAL) : c.wholeAll();
    }
    if (x.isSharded() && (c.rank(0) < 0 || touched.contains(x.axis()))) {
      return c.wholeAll();
    }
    return List.of(x);
  }

  /** Axes a slice does not keep whole. */
  static List<Integer> slicedAxes(RuleContext c) {
    long[] begin = c.attrs().getLongs("begin");
    long[] size = c.attrs().getLongs("size");
    List<Integer> out = new ArrayList<>();
    for (int d = 0; d < begin.length; d++) {
      if (begin[d] != 0 || size[d] != -1) {
        out.add(d);
      }
    }
    return out;
  }

  static List<Sharding> pad(RuleContext c) {
    long[] p = c.attrs().getLongs("paddings");
    List<Integer> padded = new ArrayList<>();
    for (int d = 0; 2 * d + 1 < p.length; d++) {
      if (p[2 * d] != 0 || p[2 * d + 1] != 0) {
        padded.add(d);
      }
    }
    return keepsAxisUnless(c, padded, false);
  }

  /** sliceGrad(x, dy): dy placed into zeros shaped like x. */
  static List<Sharding> sliceGrad(RuleContext c) {
    Sharding x = c.in(0);
    Sharding dy = c.in(1);
    if (x.isSharded()
        && dy.isSharded()
        && x.axis() == dy.axis()
        && !slicedAxes(c).contains(x.axis())) {
      return List.of(x);
    }
    if (x.isReplicated() && (dy.isReplicated() || dy.isPartial())) {
      return List.of(dy);
    }
    return c.wholeAll();
  }

  static List<Sharding> concat(RuleContext c) {
    if (c.all(Kind.REPLICATED)) {
      return c.replicated();
    }
    if (c.all(Kind.PARTIAL)) {
      return List.of(PARTIAL);
    }
    int rank = c.rank(0);
    Sharding first = c.in(0);
    if (c.all(Kind.SHARDED) && rank >= 0 && c.axis("axis", 0, rank) != first.axis()) {
      for (int i = 1; i < c.inputs(); i++) {
        if (c.in(i).axis() != first.axis()) {
          return c.wholeAll();
        }
      }
      return List.of(first);
    }
    return c.wholeAll();
  }
}
