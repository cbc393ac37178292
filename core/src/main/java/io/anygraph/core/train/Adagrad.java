package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;

/**
 * Adagrad as TensorFlow 1.x's {@code AdagradOptimizer}: {@code acc += g^2; w -= lr g / sqrt(acc)},
 * the accumulator starting at {@code initialAccumulatorValue} (TensorFlow's default 0.1) so that
 * the first division is safe. Sparse: only the touched rows' accumulators grow.
 *
 * <pre>{@code
 * Tensor train = new Adagrad(0.1).minimize(loss);
 * }</pre>
 */
public final class Adagrad extends Optimizer {
  private final double initialAccumulatorValue;

  public Adagrad(double learningRate, double initialAccumulatorValue) {
    super("Adagrad", learningRate);
    this.initialAccumulatorValue = positive(initialAccumulatorValue);
  }

  public Adagrad(double learningRate) {
    this(learningRate, 0.1);
  }

  /** With a learning-rate schedule (a float scalar tensor, see {@link Schedules}). */
  public Adagrad(Tensor learningRate, double initialAccumulatorValue) {
    super("Adagrad", learningRate);
    this.initialAccumulatorValue = positive(initialAccumulatorValue);
  }

  private static double positive(double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException("initialAccumulatorValue must be positive, not " + v);
    }
    return v;
  }

  @Override
  protected List<Slot> slots() {
    return List.of(new Slot("Adagrad", initialAccumulatorValue));
  }

  @Override
  protected StepRule begin(Graph g, List<Variable> vars) {
    return (w, slots, grad) -> {
      Tensor acc = slots.get(0).add(grad.square());
      return new Update(grad.mul(learningRate(w)).div(acc.sqrt()), List.of(acc));
    };
  }
}
