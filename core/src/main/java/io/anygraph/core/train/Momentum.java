package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;

/**
 * Momentum as in TensorFlow's {@code MomentumOptimizer}: {@code a = m a + g; w -= lr a}, or with
 * Nesterov {@code w -= lr (g + m a)}. Sparse: only the touched rows' accumulators change.
 */
public final class Momentum extends Optimizer {
  private final double momentum;
  private final boolean nesterov;

  public Momentum(double learningRate, double momentum, boolean nesterov) {
    super("Momentum", learningRate);
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  public Momentum(double learningRate, double momentum) {
    this(learningRate, momentum, false);
  }

  /** With a learning-rate schedule (a float scalar tensor, see {@link Schedules}). */
  public Momentum(Tensor learningRate, double momentum, boolean nesterov) {
    super("Momentum", learningRate);
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  protected List<Slot> slots() {
    return List.of(new Slot("Momentum", 0));
  }

  @Override
  protected StepRule begin(Graph g, List<Variable> vars) {
    return (w, slots, grad) -> {
      Tensor m = scalar(momentum, w);
      Tensor accum = slots.get(0).mul(m).add(grad);
      Tensor step = nesterov ? grad.add(accum.mul(m)) : accum;
      return new Update(step.mul(learningRate(w)), List.of(accum));
    };
  }
}
