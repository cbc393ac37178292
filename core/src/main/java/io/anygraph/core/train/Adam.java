package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, in TensorFlow's formulation: at step t, {@code
 * lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)} and {@code w -= lr_t m / (sqrt(v) + eps)}. The powers
 * {@code b1^t}, {@code b2^t} are variables of the graph, so checkpoints carry them.
 */
public final class Adam extends Optimizer {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;

  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    super("Adam");
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-8);
  }

  @Override
  protected List<Tensor> applyGradients(Graph g, List<Variable> vars, List<Tensor> grads) {
    List<Tensor> updates = new ArrayList<>();
    Variable first = vars.get(0);
    Variable beta1Power =
        g.nonTrainableVariable(g.ops().fill(first.dtype(), Shape.scalar(), beta1), "beta1_power");
    Variable beta2Power =
        g.nonTrainableVariable(g.ops().fill(first.dtype(), Shape.scalar(), beta2), "beta2_power");
    for (int i = 0; i < vars.size(); i++) {
      Variable v = vars.get(i);
      Tensor grad = grads.get(i);
      Tensor b1p = beta1Power.dtype() == v.dtype() ? beta1Power : beta1Power.cast(v.dtype());
      Tensor b2p = beta2Power.dtype() == v.dtype() ? beta2Power : beta2Power.cast(v.dtype());
      Tensor one = scalar(g, 1, v);
      Tensor lrT = scalar(g, learningRate, v).mul(one.sub(b2p).sqrt()).div(one.sub(b1p));
      Variable m = slot(g, v, "Adam");
      Variable s = slot(g, v, "Adam_1");
      Tensor newM =
          g.ops().assign(m, m.mul(scalar(g, beta1, v)).add(grad.mul(scalar(g, 1 - beta1, v))));
      Tensor newS =
          g.ops()
              .assign(
                  s, s.mul(scalar(g, beta2, v)).add(grad.square().mul(scalar(g, 1 - beta2, v))));
      Tensor step = lrT.mul(newM).div(newS.sqrt().add(scalar(g, epsilon, v)));
      updates.add(g.ops().assign(v, v.sub(step)));
    }
    updates.add(g.ops().assign(beta1Power, beta1Power.mul(scalar(g, beta1, beta1Power))));
    updates.add(g.ops().assign(beta2Power, beta2Power.mul(scalar(g, beta2, beta2Power))));
    return updates;
  }
}
