package io.anygraph.core.train;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Tensor;

/**
 * An optimizer's learning rate: a constant, or a scalar tensor of the graph (a schedule from {@link
 * Schedules}) read once per step.
 */
final class LearningRate {
  private final double constant;
  private final Tensor tensor;

  private LearningRate(double constant, Tensor tensor) {
    this.constant = constant;
    this.tensor = tensor;
  }

  static LearningRate of(double constant) {
    return new LearningRate(constant, null);
  }

  static LearningRate of(Tensor tensor) {
    if (!tensor.dtype().isFloating() || !tensor.shape().hasRank() || tensor.shape().rank() != 0) {
      throw new AnygraphException(
          "A learning rate must be a floating scalar, not "
              + tensor.name()
              + " "
              + tensor.dtype()
              + " "
              + tensor.shape());
    }
    return new LearningRate(0, tensor);
  }

  /** The rate as a scalar of {@code like}'s dtype. */
  Tensor like(Tensor like) {
    if (tensor == null) {
      return like.graph().ops().scalarLike(constant, like);
    }
    if (tensor.graph() != like.graph()) {
      throw new AnygraphException(
          "The learning rate " + tensor.name() + " belongs to another graph than " + like.name());
    }
    return tensor.dtype() == like.dtype() ? tensor : tensor.cast(like.dtype());
  }
}
