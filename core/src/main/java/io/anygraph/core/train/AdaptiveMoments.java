package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;

/**
 * Adam's rule, shared by {@link Adam} and {@link AdamW}: at step t, {@code m = b1 m + (1 - b1) g},
 * {@code v = b2 v + (1 - b2) g^2}, {@code lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)} and {@code w -=
 * lr_t m / (sqrt(v) + eps) + lr wd w} (wd = 0 for Adam). The powers {@code b1^t}, {@code b2^t} are
 * variables of the graph, so checkpoints carry them; they advance once per step, whichever rows a
 * sparse gradient touched.
 */
abstract class AdaptiveMoments extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;

  AdaptiveMoments(
      String name, double lr, double beta1, double beta2, double epsilon, double weightDecay) {
    super(name, lr);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  AdaptiveMoments(
      String name, Tensor lr, double beta1, double beta2, double epsilon, double weightDecay) {
    super(name, lr);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  @Override
  protected List<Slot> slots() {
    return List.of(new Slot(slotStem(), 0), new Slot(slotStem() + "_1", 0));
  }

  /** The slot names' stem (TensorFlow's: {@code Adam}, {@code Adam_1}). */
  abstract String slotStem();

  @Override
  protected StepRule begin(Graph g, List<Variable> vars) {
    Variable first = vars.get(0);
    Variable beta1Power =
        g.nonTrainableVariable(g.ops().fill(first.dtype(), Shape.scalar(), beta1), "beta1_power");
    Variable beta2Power =
        g.nonTrainableVariable(g.ops().fill(first.dtype(), Shape.scalar(), beta2), "beta2_power");
    return new StepRule() {
      @Override
      public Update apply(Tensor w, List<Tensor> slots, Tensor grad) {
        Tensor b1p = beta1Power.dtype() == w.dtype() ? beta1Power : beta1Power.cast(w.dtype());
        Tensor b2p = beta2Power.dtype() == w.dtype() ? beta2Power : beta2Power.cast(w.dtype());
        Tensor one = scalar(1, w);
        Tensor lr = learningRate(w);
        Tensor lrT = lr.mul(one.sub(b2p).sqrt()).div(one.sub(b1p));
        Tensor m = slots.get(0).mul(scalar(beta1, w)).add(grad.mul(scalar(1 - beta1, w)));
        Tensor v = slots.get(1).mul(scalar(beta2, w)).add(grad.square().mul(scalar(1 - beta2, w)));
        Tensor step = lrT.mul(m).div(v.sqrt().add(scalar(epsilon, w)));
        if (weightDecay != 0) {
          step = step.add(w.mul(lr.mul(scalar(weightDecay, w))));
        }
        return new Update(step, List.of(m, v));
      }

      @Override
      public List<Tensor> finish() {
        return List.of(
            g.ops().assign(beta1Power, beta1Power.mul(scalar(beta1, beta1Power))),
            g.ops().assign(beta2Power, beta2Power.mul(scalar(beta2, beta2Power))));
      }
    };
  }
}
