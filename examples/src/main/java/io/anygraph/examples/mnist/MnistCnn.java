package io.anygraph.examples.mnist;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Nn;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.Optimizer;
import io.anygraph.examples.train.ModelGraph;

/**
 * The tutorial's first convolutional layer grown into a classifier: conv 5x5 → relu → max pool →
 * conv 5x5 → relu → max pool → dense → softmax, in TensorFlow's NHWC layout. About 5 MFLOP per
 * digit for the forward and backward pass.
 */
public final class MnistCnn implements ModelGraph {
  public static final int CONV1_FILTERS = 8;
  public static final int CONV2_FILTERS = 16;

  public final Graph graph;

  /** Flattened digits, [batch, 784] float32 in [0, 1]. */
  public final Tensor images;

  /** Digit labels, [batch] int32. */
  public final Tensor labels;

  public final Tensor logits;

  /** Mean cross-entropy over the batch. */
  public final Tensor loss;

  /** Number of correct predictions in the batch (float32), so batches can be summed. */
  public final Tensor correct;

  /** One optimizer step on every parameter. */
  public final Tensor train;

  /** The network trained with Adam, as the {@code mnist} command does. */
  public MnistCnn(long seed, double learningRate) {
    this(seed, new Adam(learningRate));
  }

  public MnistCnn(long seed, Optimizer optimizer) {
    graph = new Graph();
    graph.setSeed(seed);
    Nn nn = graph.nn();
    try (Scope s = graph.sharded()) { // split across devices or Spark tasks in data-parallel runs
      images = graph.placeholder(DType.FLOAT32, Shape.of(-1, 784), "images");
      labels = graph.placeholder(DType.INT32, Shape.of(-1), "labels");
    }
    Tensor x = images.reshape(-1, 28, 28, 1);
    x = convReluPool("conv1", x, 1, CONV1_FILTERS);
    x = convReluPool("conv2", x, CONV1_FILTERS, CONV2_FILTERS);
    long flat = 7 * 7 * CONV2_FILTERS;
    try (Scope s = graph.nameScope("dense")) {
      Variable w =
          graph.variable(
              graph.random().normal(DType.FLOAT32, Shape.of(flat, 10), 0, Math.sqrt(2.0 / flat)),
              "weights");
      Variable b = graph.variable(graph.ops().zeros(DType.FLOAT32, 10), "bias");
      logits = nn.biasAdd(x.reshape(-1, flat).matmul(w), b);
    }
    try (Scope s = graph.nameScope("loss")) {
      loss = nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).mean();
    }
    try (Scope s = graph.nameScope("accuracy")) {
      Tensor predicted = graph.ops().argMax(logits, 1).cast(DType.INT32);
      correct = graph.ops().equal(predicted, labels).cast(DType.FLOAT32).sum();
    }
    train = optimizer.minimize(loss);
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public Tensor features() {
    return images;
  }

  @Override
  public Tensor labels() {
    return labels;
  }

  @Override
  public Tensor train() {
    return train;
  }

  @Override
  public Tensor loss() {
    return loss;
  }

  /** The correct predictions of the batch: test accuracy is their total over the test digits. */
  @Override
  public Tensor prediction() {
    return logits;
  }

  @Override
  public Tensor evaluation() {
    return correct;
  }

  /** conv 5x5 SAME + bias → relu → 2x2 max pool, stride 2: halves height and width. */
  private Tensor convReluPool(String scope, Tensor x, long in, long out) {
    Nn nn = graph.nn();
    try (Scope s = graph.nameScope(scope)) {
      // He initialization for relu layers
      Variable w =
          graph.variable(
              graph
                  .random()
                  .normal(DType.FLOAT32, Shape.of(5, 5, in, out), 0, Math.sqrt(2.0 / (25 * in))),
              "weights");
      Variable b = graph.variable(graph.constant(0.1, DType.FLOAT32, out), "bias");
      Tensor z = nn.biasAdd(nn.conv2d(x, w, new long[] {1, 1, 1, 1}, "SAME"), b);
      return nn.maxPool(nn.relu(z), new long[] {1, 2, 2, 1}, new long[] {1, 2, 2, 1}, "SAME");
    }
  }
}
