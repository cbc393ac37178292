package io.anygraph.examples.train;

import java.util.function.DoubleBinaryOperator;

/**
 * The held-out figure a model reports after each epoch and in its summary: a name for the progress
 * lines ({@code test accuracy}), a key for the JSON summary and the TensorBoard curve ({@code
 * test_accuracy}), and how the summed {@link ModelGraph#evaluation} of all held-out examples
 * becomes the figure.
 *
 * @param name as printed: {@code test accuracy 0.9730}
 * @param key JSON field and the curve {@code epoch/<key>}
 * @param fromSum (sum over the held-out examples, their count) → the figure
 */
public record Metric(String name, String key, DoubleBinaryOperator fromSum) {
  /** Fraction correct, from the number of correct predictions. */
  public static Metric accuracy(String name, String key) {
    return new Metric(name, key, (sum, count) -> sum / count);
  }

  /**
   * Perplexity, {@code exp(mean cross-entropy)}, from the cross-entropy summed over examples (each
   * example's own mean over its positions, in nats).
   */
  public static Metric perplexity(String name, String key) {
    return new Metric(name, key, (sum, count) -> Math.exp(sum / count));
  }

  /**
   * Root mean squared error, {@code sqrt(mean squared error)}, from the squared errors summed over
   * examples.
   */
  public static Metric rmse(String name, String key) {
    return new Metric(name, key, (sum, count) -> Math.sqrt(sum / count));
  }

  /** The figure of {@code count} examples whose evaluations add up to {@code sum}. */
  public double value(double sum, long count) {
    return fromSum.applyAsDouble(sum, count);
  }
}
