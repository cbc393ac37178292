package io.anygraph.core.autodiff;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Ops;
import io.anygraph.core.Scope;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.GradContext;
import io.anygraph.core.ops.OpDef;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation as a graph transformation: it appends gradient nodes,
 * built by each op's own gradient rule, under a {@code gradients} name scope. Because the rules
 * build ordinary ops, the result can be differentiated again.
 */
public final class Autodiff {
  private Autodiff() {}

  /**
   * Gradients of the sum of {@code ys} (each weighted by its {@code dys} entry, or by ones) with
   * respect to each of {@code xs}. Paths that fan out are summed; broadcasting is undone by each
   * op's rule.
   */
  public static List<Tensor> gradients(
      List<Tensor> ys, List<? extends Tensor> xs, List<Tensor> dys) {
    return gradients(ys, xs, dys, false);
  }

  /**
   * As {@link #gradients}, but an x that no y depends on gets zeros rather than an error: how
   * control-flow gradient rules differentiate a body with respect to all its inputs.
   */
  public static List<Tensor> gradientsOrZeros(
      List<Tensor> ys, List<? extends Tensor> xs, List<Tensor> dys) {
    return gradients(ys, xs, dys, true);
  }

  private static List<Tensor> gradients(
      List<Tensor> ys, List<? extends Tensor> xs, List<Tensor> dys, boolean zerosIfUnconnected) {
    if (ys.isEmpty() || xs.isEmpty()) {
      throw new IllegalArgumentException("gradients need at least one y and one x");
    }
    Graph g = ys.get(0).graph();
    for (Tensor t : ys) {
      requireFloating(t, "y");
    }
    for (Tensor t : xs) {
      requireFloating(t, "x");
      if (t.graph() != g) {
        throw new AnygraphException("x " + t.name() + " belongs to another graph than y");
      }
    }
    Set<Node> relevant = between(g, ys, xs);
    Map<Tensor, List<Tensor>> pending = new HashMap<>();
    Ops ops = g.ops();
    try (Scope outer = g.nameScope("gradients")) {
      for (int i = 0; i < ys.size(); i++) {
        Tensor y = ys.get(i);
        Tensor dy = dys == null ? ops.onesLike(y) : dys.get(i);
        if (dy.dtype() != y.dtype() || !y.shape().accepts(dy.shape())) {
          throw new AnygraphException("Upstream gradient " + dy + " does not match " + y);
        }
        pending.computeIfAbsent(y, k -> new ArrayList<>()).add(dy);
      }
      List<Node> order = new ArrayList<>(relevant);
      order.sort((a, b) -> Integer.compare(b.id(), a.id()));
      for (Node node : order) {
        backprop(g, node, pending, relevant);
      }
      List<Tensor> result = new ArrayList<>();
      for (Tensor x : xs) {
        Tensor gx = sum(ops, pending.get(x));
        if (gx == null && zerosIfUnconnected) {
          gx = ops.zerosLike(x);
        }
        if (gx == null) {
          throw new AnygraphException(
              "No gradient flows from "
                  + ys.get(0).name()
                  + " to "
                  + x.name()
                  + ": y does not depend on x (or only through ops without a gradient)");
        }
        result.add(gx);
      }
      return result;
    }
  }

  private static void backprop(
      Graph g, Node node, Map<Tensor, List<Tensor>> pending, Set<Node> relevant) {
    OpDef def = OpRegistry.get(node.op());
    List<Tensor> outputs = new ArrayList<>();
    List<Tensor> upstream = new ArrayList<>();
    boolean any = false;
    for (int i = 0; i < node.outputs().size(); i++) {
      Tensor out = g.output(node, i);
      outputs.add(out);
      Tensor d = sum(g.ops(), pending.get(out));
      upstream.add(d);
      any |= d != null;
    }
    if (!any || !def.isDifferentiable() || node.inputs().isEmpty()) {
      return;
    }
    List<Tensor> grads;
    try (Scope s = g.nameScope(node.name().replace('/', '_') + "_grad")) {
      for (int i = 0; i < upstream.size(); i++) {
        if (upstream.get(i) == null) {
          upstream.set(i, g.ops().zerosLike(outputs.get(i)));
        }
      }
      grads =
          def.gradient().gradient(new GradContext(node, node.inputs(), outputs, upstream, g.ops()));
    }
    if (grads.size() != node.inputs().size()) {
      throw new IllegalStateException(
          "gradient of op '"
              + node.op()
              + "' returned "
              + grads.size()
              + " gradients for "
              + node.inputs().size()
              + " inputs");
    }
    for (int i = 0; i < grads.size(); i++) {
      Tensor x = node.input(i);
      Tensor gx = grads.get(i);
      if (gx == null || !relevant.contains(x.node())) {
        continue;
      }
      if (gx.dtype() != x.dtype() || !x.shape().accepts(gx.shape())) {
        throw new IllegalStateException(
            "gradient rule of op '" + node.op() + "' gave " + gx + " for input " + x);
      }
      pending.computeIfAbsent(x, k -> new ArrayList<>()).add(gx);
    }
  }

  /** Nodes on some path from an x to a y (both ends included). */
  private static Set<Node> between(Graph g, List<Tensor> ys, List<? extends Tensor> xs) {
    List<Node> nodes = g.nodes();
    Set<Node> fromX = new HashSet<>();
    int first = Integer.MAX_VALUE;
    for (Tensor x : xs) {
      fromX.add(x.node());
      first = Math.min(first, x.node().id());
    }
    for (int i = first; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      for (Tensor in : n.inputs()) {
        if (fromX.contains(in.node())) {
          fromX.add(n);
          break;
        }
      }
    }
    Set<Node> toY = new HashSet<>();
    for (Tensor y : ys) {
      toY.add(y.node());
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (toY.contains(n)) {
        for (Tensor in : n.inputs()) {
          toY.add(in.node());
        }
      }
    }
    fromX.retainAll(toY);
    return fromX;
  }

  /**
   * The sum of a value's gradient parts. Sparse parts alone stay sparse (their rows joined); a
   * sparse part added to a dense one is densified by that add.
   */
  private static Tensor sum(Ops ops, List<Tensor> parts) {
    if (parts == null || parts.isEmpty()) {
      return null;
    }
    if (parts.size() > 1) {
      List<IndexedSlices> sparse = new ArrayList<>();
      for (Tensor p : parts) {
        IndexedSlices.of(p).ifPresent(sparse::add);
      }
      IndexedSlices joined = sparse.size() == parts.size() ? IndexedSlices.concat(sparse) : null;
      if (joined != null) {
        return joined.dense();
      }
    }
    Tensor s = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      s = ops.add(s, parts.get(i));
    }
    return s;
  }

  private static void requireFloating(Tensor t, String role) {
    if (!t.dtype().isFloating()) {
      throw new AnygraphException(
          "Cannot differentiate with respect to/of "
              + role
              + " "
              + t.name()
              + " of integer or bool dtype "
              + t.dtype()
              + ": cast it to a float type");
    }
  }
}
