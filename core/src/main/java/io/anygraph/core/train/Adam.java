package io.anygraph.core.train;

import io.anygraph.core.Tensor;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, in TensorFlow's formulation: at step t, {@code
 * lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)} and {@code w -= lr_t m / (sqrt(v) + eps)}. The powers
 * {@code b1^t}, {@code b2^t} are variables of the graph, so checkpoints carry them. A sparse
 * gradient updates m and v of the touched rows only ({@code LazyAdamOptimizer}'s semantics).
 */
public final class Adam extends AdaptiveMoments {
  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    super("Adam", learningRate, beta1, beta2, epsilon, 0);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-8);
  }

  /** With a learning-rate schedule (a float scalar tensor, see {@link Schedules}). */
  public Adam(Tensor learningRate, double beta1, double beta2, double epsilon) {
    super("Adam", learningRate, beta1, beta2, epsilon, 0);
  }

  /** With a learning-rate schedule and the default betas and epsilon. */
  public Adam(Tensor learningRate) {
    this(learningRate, 0.9, 0.999, 1e-8);
  }

  @Override
  String slotStem() {
    return "Adam";
  }
}
