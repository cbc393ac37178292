package io.anygraph.core.train;

import io.anygraph.core.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019; {@code
 * tf.keras.optimizers.AdamW}): Adam's step plus {@code lr * weightDecay * w}, the decay scaled by
 * the (scheduled) learning rate but not by Adam's bias correction or its second moments. A sparse
 * gradient decays and updates only the touched rows (lazy, as its slots; Keras decays every row).
 *
 * <pre>{@code
 * Tensor train = new AdamW(0.001, 0.01).minimize(loss);
 * }</pre>
 */
public final class AdamW extends AdaptiveMoments {
  public AdamW(
      double learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
    super("AdamW", learningRate, beta1, beta2, epsilon, weightDecay);
  }

  /** Keras' defaults: betas 0.9 and 0.999, epsilon 1e-7. */
  public AdamW(double learningRate, double weightDecay) {
    this(learningRate, weightDecay, 0.9, 0.999, 1e-7);
  }

  /** With a learning-rate schedule (a float scalar tensor, see {@link Schedules}). */
  public AdamW(
      Tensor learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
    super("AdamW", learningRate, beta1, beta2, epsilon, weightDecay);
  }

  /** With a learning-rate schedule and Keras' default betas and epsilon. */
  public AdamW(Tensor learningRate, double weightDecay) {
    this(learningRate, weightDecay, 0.9, 0.999, 1e-7);
  }

  @Override
  String slotStem() {
    return "AdamW";
  }
}
