package io.anygraph.board;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;

/** Small graphs the board's tests write and draw. */
public final class TestGraphs {
  private TestGraphs() {}

  /** The tutorial's name-scope snippet: {@code a}, {@code b} and {@code addition/add}. */
  public static Graph tutorial() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT8, "a");
    Tensor b = g.placeholder(DType.INT8, "b");
    try (Scope s = g.nameScope("addition")) {
      a.add(b);
    }
    return g;
  }

  /** A dense layer with a bias constant, a variable and a loss with its gradient. */
  public static Graph dense() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "x");
    Tensor y;
    Variable w;
    try (Scope s = g.nameScope("dense")) {
      w = g.variable(g.ops().zeros(DType.FLOAT32, 4, 3), "w");
      y = x.matmul(w).add(g.constant(0.1, DType.FLOAT32, 1, 3));
    }
    Tensor loss;
    try (Scope s = g.nameScope("loss")) {
      loss = y.square().mean();
    }
    g.grad(loss, w);
    return g;
  }
}
