package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.ArrayList;
import java.util.List;

/** Plain gradient descent: {@code w -= lr * g}. */
public final class GradientDescent extends Optimizer {
  private final double learningRate;

  public GradientDescent(double learningRate) {
    super("GradientDescent");
    this.learningRate = learningRate;
  }

  @Override
  protected List<Tensor> applyGradients(Graph g, List<Variable> vars, List<Tensor> grads) {
    List<Tensor> updates = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable v = vars.get(i);
      updates.add(g.ops().assign(v, v.sub(grads.get(i).mul(scalar(g, learningRate, v)))));
    }
    return updates;
  }
}
