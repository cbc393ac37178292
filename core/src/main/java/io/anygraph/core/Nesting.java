package io.anygraph.core;

import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a graph nests inside another while a control-flow body is traced (TensorFlow's FuncGraph):
 * while a thread traces a body, every op it builds on the outer graph lands in the body; a body op
 * that reads an outer tensor gets a placeholder instead, and the outer tensor becomes an explicit
 * input of the control-flow node (a capture).
 */
final class Nesting {
  private final Graph owner;
  private Graph parent;
  private final ThreadLocal<Graph> tracing = new ThreadLocal<>();

  /** Outer tensor (of the parent graph) → the placeholder standing for it here. */
  private final Map<Tensor, Tensor> captures = new LinkedHashMap<>();

  Nesting(Graph owner) {
    this.owner = owner;
  }

  /** Makes {@code owner} a body nested in {@code outer}: it may capture outer tensors. */
  void nestIn(Graph outer) {
    parent = outer;
  }

  /** The graph that ops built on {@code g} by this thread land in: its innermost traced body. */
  static Graph innermost(Graph g) {
    Graph inner = g.nesting.tracing.get();
    return inner == null ? g : innermost(inner);
  }

  /** The body this thread is tracing under the owner, or null. */
  Graph tracing() {
    return tracing.get();
  }

  /**
   * Runs {@code build} with every op this thread builds on the owner redirected into {@code body}.
   */
  <T> T trace(Graph body, Supplier<T> build) {
    Graph before = tracing.get();
    tracing.set(body);
    try {
      return build.get();
    } finally {
      tracing.set(before);
    }
  }

  /** Rejects ops that make or write state inside a body: state lives in the outermost graph. */
  void checkOp(String op, String name) {
    if (parent != null && (op.equals(OpNames.VARIABLE) || OpRegistry.get(op).refInputs() > 0)) {
      throw new AnygraphException(
          "Node '"
              + (name == null ? op : name)
              + "' (op "
              + op
              + ") cannot be built inside a cond or loop body: create and update variables"
              + " outside it (a body may read them)");
    }
  }

  /** {@code inputs} with every tensor of an enclosing graph replaced by its capture placeholder. */
  List<Tensor> own(List<Tensor> inputs) {
    List<Tensor> out = null;
    for (int i = 0; i < inputs.size(); i++) {
      Tensor t = inputs.get(i);
      if (t.graph() != owner) {
        if (out == null) {
          out = new ArrayList<>(inputs);
        }
        out.set(i, capture(t));
      }
    }
    return out == null ? inputs : out;
  }

  /** The placeholder of the owner that stands for {@code t}, a tensor of an enclosing graph. */
  Tensor capture(Tensor t) {
    if (t.graph() == owner) {
      return t;
    }
    if (parent == null || !encloses(t.graph())) {
      throw new AnygraphException("Tensor " + t.name() + " belongs to another graph");
    }
    Tensor outer = t.graph() == parent ? t : parent.nesting.capture(t);
    synchronized (captures) {
      Tensor have = captures.get(outer);
      if (have != null) {
        return have;
      }
      Graph before = tracing.get();
      tracing.remove(); // the placeholder belongs to the owner itself, not a body it is tracing
      try {
        Tensor ph = owner.placeholder(outer.dtype(), outer.shape(), "capture");
        captures.put(outer, ph);
        return ph;
      } finally {
        tracing.set(before);
      }
    }
  }

  /** Outer tensor → placeholder, in the order they were captured. */
  Map<Tensor, Tensor> captures() {
    synchronized (captures) {
      return new LinkedHashMap<>(captures);
    }
  }

  private boolean encloses(Graph g) {
    for (Graph p = parent; p != null; p = p.nesting.parent) {
      if (p == g) {
        return true;
      }
    }
    return false;
  }
}
