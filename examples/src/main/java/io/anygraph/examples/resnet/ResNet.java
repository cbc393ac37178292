package io.anygraph.examples.resnet;

import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.examples.train.ModelGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * A small residual network (He et al., 2015) for 28×28 digits, in NHWC: a 3×3 stem of {@value
 * #WIDTH} channels, a residual block at 28×28, a strided block to 14×14 with {@code 2 * WIDTH}
 * channels (its shortcut a 1×1 strided projection), a residual block there, global average pooling
 * and a dense layer to 10 classes. Each block is {@code relu(x + bn(conv(relu(bn(conv(x))))))}.
 *
 * <p>Every convolution is followed by batch normalization ({@link BatchNorm}, TensorFlow 1.x's
 * {@code tf.layers.batch_normalization}): the training step normalizes with the batch's statistics
 * (global over the whole batch however it is split across devices or Spark tasks) and updates the
 * moving averages; the prediction and the held-out metric use the moving averages, through a second
 * pass over the same weights, as a TensorFlow program builds its inference graph.
 */
public final class ResNet implements ModelGraph {
  /** Channels of the first stage; the second has twice as many. */
  public static final int WIDTH = 8;

  private final Graph graph = new Graph();
  private final DType dtype;
  private final Tensor images;
  private final Tensor labels;
  private final ConvNorm stem;
  private final List<Block> blocks = new ArrayList<>();
  private final Variable denseWeights;
  private final Variable denseBias;
  private final Tensor loss;
  private final Tensor correct;
  private final Tensor logits;
  private final Tensor train;

  /** The network in float32, its weights drawn from {@code seed}, trained by Adam. */
  public ResNet(long seed, double learningRate) {
    this(seed, learningRate, DType.FLOAT32);
  }

  /**
   * The network computing in {@code dtype} (the digits are cast to it): float64 lets tests see that
   * a split batch trains exactly as a whole one, which float32's rounding, amplified by batch
   * normalization's gradients over mostly blank images, hides after a few steps.
   */
  public ResNet(long seed, double learningRate, DType dtype) {
    this.dtype = dtype;
    graph.setSeed(seed);
    try (Scope s = graph.sharded()) { // split across devices or Spark tasks in data-parallel runs
      images = graph.placeholder(DType.FLOAT32, Shape.of(-1, 784), "images");
      labels = graph.placeholder(DType.INT32, Shape.of(-1), "labels");
    }
    try (Scope s = graph.nameScope("stem")) {
      stem = new ConvNorm(graph, dtype, 3, 1, WIDTH, 1);
    }
    blocks.add(Block.of(graph, dtype, "block1", WIDTH, WIDTH, 1));
    blocks.add(Block.of(graph, dtype, "block2", WIDTH, 2 * WIDTH, 2));
    blocks.add(Block.of(graph, dtype, "block3", 2 * WIDTH, 2 * WIDTH, 1));
    try (Scope s = graph.nameScope("dense")) {
      denseWeights =
          graph.variable(
              graph
                  .random()
                  .normal(dtype, Shape.of(2 * WIDTH, 10), 0, Math.sqrt(1.0 / (2 * WIDTH))),
              "weights");
      denseBias = graph.variable(graph.ops().zeros(dtype, 10), "bias");
    }
    Tensor trainingLogits;
    try (Scope s = graph.nameScope("training")) {
      trainingLogits = forward(true);
    }
    try (Scope s = graph.nameScope("loss")) {
      loss = graph.nn().sparseSoftmaxCrossEntropyWithLogits(trainingLogits, labels).mean();
    }
    List<Tensor> step = new ArrayList<>(stem.norm.updateOps());
    blocks.forEach(b -> step.addAll(b.updateOps()));
    step.add(new Adam(learningRate).minimize(loss));
    train = graph.ops().group(step);
    try (Scope s = graph.nameScope("inference")) {
      logits = forward(false);
    }
    try (Scope s = graph.nameScope("accuracy")) {
      Tensor predicted = graph.ops().argMax(logits, 1).cast(DType.INT32);
      correct = graph.ops().equal(predicted, labels).cast(DType.FLOAT32).sum();
    }
  }

  /** The logits of {@link #images}, with batch statistics ({@code training}) or moving ones. */
  private Tensor forward(boolean training) {
    Tensor x = graph.nn().relu(stem.apply(images.cast(dtype).reshape(-1, 28, 28, 1), training));
    for (Block b : blocks) {
      x = b.apply(x, training);
    }
    Tensor pooled = x.mean(1, 2); // global average pooling: [batch, 2 * WIDTH]
    return graph.nn().biasAdd(pooled.matmul(denseWeights), denseBias);
  }

  /** A {@code size}×{@code size} SAME convolution without bias, then batch normalization. */
  private static final class ConvNorm {
    private final Graph graph;
    private final Variable weights;
    private final int stride;
    final BatchNorm norm;

    ConvNorm(Graph graph, DType dtype, int size, long in, long out, int stride) {
      this.graph = graph;
      this.stride = stride;
      // He initialization for relu layers
      this.weights =
          graph.variable(
              graph
                  .random()
                  .normal(
                      dtype, Shape.of(size, size, in, out), 0, Math.sqrt(2.0 / (size * size * in))),
              "weights");
      // momentum 0.9, not TensorFlow's 0.99: the moving averages the held-out accuracy uses
      // settle within the few hundred steps of a short run (with 0.99, 80 steps: 23% accuracy)
      this.norm =
          new BatchNorm(
              graph, "bn", dtype, Shape.of(out), new int[] {0, 1, 2}, 0.9, BatchNorm.EPSILON);
    }

    Tensor apply(Tensor x, boolean training) {
      Tensor y = graph.nn().conv2d(x, weights, new long[] {1, stride, stride, 1}, "SAME");
      return norm.apply(y, training);
    }
  }

  /**
   * A residual block from {@code in} to {@code out} channels; with {@code stride} 2 it halves
   * height and width, and the shortcut becomes a strided 1×1 convolution so the sum's shapes agree.
   */
  private record Block(Graph graph, ConvNorm a, ConvNorm b, ConvNorm projection) {
    static Block of(Graph graph, DType dtype, String scope, long in, long out, int stride) {
      try (Scope s = graph.nameScope(scope)) {
        ConvNorm projection = null;
        if (stride != 1 || in != out) {
          try (Scope p = graph.nameScope("projection")) {
            projection = new ConvNorm(graph, dtype, 1, in, out, stride);
          }
        }
        ConvNorm a;
        try (Scope p = graph.nameScope("a")) {
          a = new ConvNorm(graph, dtype, 3, in, out, stride);
        }
        ConvNorm b;
        try (Scope p = graph.nameScope("b")) {
          b = new ConvNorm(graph, dtype, 3, out, out, 1);
        }
        return new Block(graph, a, b, projection);
      }
    }

    Tensor apply(Tensor x, boolean training) {
      Tensor shortcut = projection == null ? x : projection.apply(x, training);
      Tensor h = graph.nn().relu(a.apply(x, training));
      return graph.nn().relu(b.apply(h, training).add(shortcut));
    }

    List<Tensor> updateOps() {
      List<Tensor> ops = new ArrayList<>(a.norm.updateOps());
      ops.addAll(b.norm.updateOps());
      if (projection != null) {
        ops.addAll(projection.norm.updateOps());
      }
      return ops;
    }
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
