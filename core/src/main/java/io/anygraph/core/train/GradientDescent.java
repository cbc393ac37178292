package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;

/**
 * Plain gradient descent: {@code w -= lr * g}; a sparse gradient is one {@code scatterSub} of its
 * summed rows.
 */
public final class GradientDescent extends Optimizer {
  public GradientDescent(double learningRate) {
    super("GradientDescent", learningRate);
  }

  /** With a learning-rate schedule (a float scalar tensor, see {@link Schedules}). */
  public GradientDescent(Tensor learningRate) {
    super("GradientDescent", learningRate);
  }

  @Override
  protected List<Slot> slots() {
    return List.of();
  }

  @Override
  protected StepRule begin(Graph g, List<Variable> vars) {
    return (w, slots, grad) -> new Update(grad.mul(learningRate(w)), List.of());
  }
}
