package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Momentum as in TensorFlow's {@code MomentumOptimizer}: {@code a = m a + g; w -= lr a}, or with
 * Nesterov {@code w -= lr (g + m a)}.
 */
public final class Momentum extends Optimizer {
  private final double learningRate;
  private final double momentum;
  private final boolean nesterov;

  public Momentum(double learningRate, double momentum, boolean nesterov) {
    super("Momentum");
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  public Momentum(double learningRate, double momentum) {
    this(learningRate, momentum, false);
  }

  @Override
  protected List<Tensor> applyGradients(Graph g, List<Variable> vars, List<Tensor> grads) {
    List<Tensor> updates = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable v = vars.get(i);
      Tensor grad = grads.get(i);
      Variable accum = slot(g, v, "Momentum");
      Tensor m = scalar(g, momentum, v);
      Tensor newAccum = g.ops().assign(accum, accum.mul(m).add(grad));
      Tensor step = nesterov ? grad.add(newAccum.mul(m)) : newAccum;
      updates.add(g.ops().assign(v, v.sub(step.mul(scalar(g, learningRate, v)))));
    }
    return updates;
  }
}
