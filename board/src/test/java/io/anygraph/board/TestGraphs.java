package io.anygraph.board;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;

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

  /**
   * A convolutional classifier trained with Adam, the shape of the MNIST example's graph (conv →
   * relu → pool → dense → loss, its {@code gradients} and the optimizer's updates).
   */
  public static Graph cnn() {
    Graph g = new Graph();
    g.setSeed(1);
    Tensor images = g.placeholder(DType.FLOAT32, Shape.of(-1, 784), "images");
    Tensor labels = g.placeholder(DType.INT32, Shape.of(-1), "labels");
    Tensor x = images.reshape(-1, 28, 28, 1);
    try (Scope s = g.nameScope("conv1")) {
      Variable w =
          g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 5, 1, 4), 0, 0.1), "weights");
      Variable b = g.variable(g.ops().zeros(DType.FLOAT32, 4), "bias");
      x = g.nn().biasAdd(g.nn().conv2d(x, w, new long[] {1, 1, 1, 1}, "SAME"), b);
      x = g.nn().maxPool(g.nn().relu(x), new long[] {1, 2, 2, 1}, new long[] {1, 2, 2, 1}, "SAME");
    }
    Tensor logits;
    try (Scope s = g.nameScope("dense")) {
      Variable w =
          g.variable(
              g.random().normal(DType.FLOAT32, Shape.of(14 * 14 * 4, 10), 0, 0.1), "weights");
      logits = x.reshape(-1, 14 * 14 * 4).matmul(w);
    }
    Tensor loss;
    try (Scope s = g.nameScope("loss")) {
      loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, labels).mean();
    }
    new Adam(0.001).minimize(loss);
    return g;
  }
}
