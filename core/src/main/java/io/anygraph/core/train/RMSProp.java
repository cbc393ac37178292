package io.anygraph.core.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSProp as TensorFlow 1.x's {@code RMSPropOptimizer}: {@code ms = decay ms + (1 - decay) g^2};
 * centered, also {@code mg = decay mg + (1 - decay) g} and {@code ms - mg^2} in place of {@code
 * ms}; then {@code mom = momentum mom + lr g / sqrt(ms + eps)} and {@code w -= mom}. As in
 * TensorFlow 1.x the mean square starts at 1, the others at 0. Sparse: only the touched rows' slots
 * change.
 *
 * <pre>{@code
 * Tensor train = new RMSProp(0.001, 0.9, 0.0, 1e-10, false).minimize(loss);
 * }</pre>
 */
public final class RMSProp extends Optimizer {
  private final double decay;
  private final double momentum;
  private final double epsilon;
  private final boolean centered;

  public RMSProp(
      double learningRate, double decay, double momentum, double epsilon, boolean centered) {
    super("RMSProp", learningRate);
    this.decay = decay;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  /** TensorFlow 1.x's defaults: decay 0.9, no momentum, epsilon 1e-10, not centered. */
  public RMSProp(double learningRate) {
    this(learningRate, 0.9, 0.0, 1e-10, false);
  }

  /** With a learning-rate schedule (a float scalar tensor, see {@link Schedules}). */
  public RMSProp(
      Tensor learningRate, double decay, double momentum, double epsilon, boolean centered) {
    super("RMSProp", learningRate);
    this.decay = decay;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  @Override
  protected List<Slot> slots() {
    List<Slot> slots = new ArrayList<>(List.of(new Slot("RMSProp", 1), new Slot("Momentum", 0)));
    if (centered) {
      slots.add(new Slot("MeanGrad", 0));
    }
    return slots;
  }

  @Override
  protected StepRule begin(Graph g, List<Variable> vars) {
    return (w, slots, grad) -> {
      Tensor rho = scalar(decay, w);
      Tensor rest = scalar(1 - decay, w);
      Tensor ms = slots.get(0).mul(rho).add(grad.square().mul(rest));
      Tensor denom = ms;
      List<Tensor> next = new ArrayList<>(List.of(ms));
      Tensor mg = null;
      if (centered) {
        mg = slots.get(2).mul(rho).add(grad.mul(rest));
        denom = ms.sub(mg.square());
      }
      Tensor scaled = grad.mul(learningRate(w)).div(denom.add(scalar(epsilon, w)).sqrt());
      Tensor mom = slots.get(1).mul(scalar(momentum, w)).add(scaled);
      next.add(mom);
      if (centered) {
        next.add(mg);
      }
      return new Update(mom, next);
    };
  }
}
