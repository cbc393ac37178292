package io.anygraph.examples.resnet;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Nn;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.examples.train.ModelGraph;

/**
 * A small residual network (He et al., 2015) for 28×28 digits, in NHWC: a 3×3 stem of {@value
 * #WIDTH} channels, a residual block at 28×28, a strided block to 14×14 with {@code 2 * WIDTH}
 * channels (its shortcut a 1×1 strided projection), a residual block there, global average pooling
 * and a dense layer to 10 classes. Each block is {@code relu(x + norm(conv(relu(norm(conv(x))))))}.
 *
 * <p>Batch normalization is not in the op set yet: {@link #normalize} is the one place it goes, and
 * until then it adds a learned per-channel shift (the β of batch normalization) and nothing else.
 */
public final class ResNet implements ModelGraph {
  /** Channels of the first stage; the second has twice as many. */
  public static final int WIDTH = 8;

  private final Graph graph = new Graph();
  private final Tensor images;
  private final Tensor labels;
  private final Tensor loss;
  private final Tensor correct;
  private final Tensor logits;
  private final Tensor train;

  /** The network, its weights drawn from {@code seed}, trained by Adam at {@code learningRate}. */
  public ResNet(long seed, double learningRate) {
    graph.setSeed(seed);
    try (Scope s = graph.sharded()) { // split across devices or Spark tasks in data-parallel runs
      images = graph.placeholder(DType.FLOAT32, Shape.of(-1, 784), "images");
      labels = graph.placeholder(DType.INT32, Shape.of(-1), "labels");
    }
    Tensor x = images.reshape(-1, 28, 28, 1);
    try (Scope s = graph.nameScope("stem")) {
      x = graph.nn().relu(normalize(conv(x, 3, 1, WIDTH, 1), WIDTH));
    }
    x = block("block1", x, WIDTH, WIDTH, 1);
    x = block("block2", x, WIDTH, 2 * WIDTH, 2);
    x = block("block3", x, 2 * WIDTH, 2 * WIDTH, 1);
    try (Scope s = graph.nameScope("dense")) {
      Tensor pooled = x.mean(1, 2); // global average pooling: [batch, 2 * WIDTH]
      Variable w =
          graph.variable(
              graph
                  .random()
                  .normal(DType.FLOAT32, Shape.of(2 * WIDTH, 10), 0, Math.sqrt(1.0 / (2 * WIDTH))),
              "weights");
      Variable b = graph.variable(graph.ops().zeros(DType.FLOAT32, 10), "bias");
      logits = graph.nn().biasAdd(pooled.matmul(w), b);
    }
    try (Scope s = graph.nameScope("loss")) {
      loss = graph.nn().sparseSoftmaxCrossEntropyWithLogits(logits, labels).mean();
    }
    try (Scope s = graph.nameScope("accuracy")) {
      Tensor predicted = graph.ops().argMax(logits, 1).cast(DType.INT32);
      correct = graph.ops().equal(predicted, labels).cast(DType.FLOAT32).sum();
    }
    train = new Adam(learningRate).minimize(loss);
  }

  /**
   * A residual block from {@code in} to {@code out} channels; with {@code stride} 2 it halves
   * height and width, and the shortcut becomes a strided 1×1 convolution so the sum's shapes agree.
   */
  private Tensor block(String scope, Tensor x, long in, long out, int stride) {
    Nn nn = graph.nn();
    try (Scope s = graph.nameScope(scope)) {
      Tensor shortcut = x;
      if (stride != 1 || in != out) {
        try (Scope p = graph.nameScope("projection")) {
          shortcut = normalize(conv(x, 1, in, out, stride), out);
        }
      }
      Tensor h;
      try (Scope a = graph.nameScope("a")) {
        h = nn.relu(normalize(conv(x, 3, in, out, stride), out));
      }
      try (Scope b = graph.nameScope("b")) {
        h = normalize(conv(h, 3, out, out, 1), out);
      }
      return nn.relu(h.add(shortcut));
    }
  }

  /** A {@code size}×{@code size} SAME convolution without bias (normalization follows it). */
  private Tensor conv(Tensor x, int size, long in, long out, int stride) {
    // He initialization for relu layers
    Variable w =
        graph.variable(
            graph
                .random()
                .normal(
                    DType.FLOAT32,
                    Shape.of(size, size, in, out),
                    0,
                    Math.sqrt(2.0 / (size * size * in))),
            "weights");
    return graph.nn().conv2d(x, w, new long[] {1, stride, stride, 1}, "SAME");
  }

  /**
   * Normalizes a convolution's output over batch, height and width, per channel. HOOK: the body
   * becomes {@code nn.batchNorm(x, ...)} (batch statistics, exact across shards, with moving
   * averages for inference) when the op set has it; today it adds a learned shift per channel.
   */
  private Tensor normalize(Tensor x, long channels) {
    Variable beta = graph.variable(graph.ops().zeros(DType.FLOAT32, channels), "beta");
    return graph.nn().biasAdd(x, beta); // HOOK: batch normalization goes here
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

  /** The logits, [batch, 10]. */
  @Override
  public Tensor prediction() {
    return logits;
  }

  /** The correct predictions of the batch. */
  @Override
  public Tensor evaluation() {
    return correct;
  }
}
