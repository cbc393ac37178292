package io.anygraph.core.train;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer builds its update step into the graph, so a training step is one fetch:
 *
 * <pre>{@code
 * Tensor train = new Adam(0.001).minimize(loss);
 * sess.initializeAllVariables();          // also initializes the optimizer's slots
 * sess.run(train, feeds);
 * }</pre>
 *
 * <p>Within a step every variable is read before it is written, so all gradients are computed from
 * the same parameter values.
 */
public abstract class Optimizer {
  private final String name;

  protected Optimizer(String name) {
    this.name = name;
  }

  /** Gradient step on every floating variable of the loss's graph. */
  public Tensor minimize(Tensor loss) {
    List<Variable> vars = new ArrayList<>();
    for (Variable v : loss.graph().variables()) {
      if (v.dtype().isFloating() && v.isTrainable()) {
        vars.add(v);
      }
    }
    return minimize(loss, vars);
  }

  /** Gradient step on the given variables. */
  public Tensor minimize(Tensor loss, List<Variable> vars) {
    if (vars.isEmpty()) {
      throw new AnygraphException(
          "Nothing to train: the graph of " + loss.name() + " has no variables");
    }
    Graph g = loss.graph();
    List<Tensor> grads = g.grad(loss, vars);
    List<Tensor> updates = new ArrayList<>();
    try (Scope s = g.nameScope(name)) {
      updates.addAll(applyGradients(g, vars, grads));
      return g.withName("step").group(updates);
    }
  }

  /** The update ops for each (variable, gradient) pair, plus any shared bookkeeping. */
  protected abstract List<Tensor> applyGradients(Graph g, List<Variable> vars, List<Tensor> grads);

  /** A zero-initialized variable beside {@code v} (momentum, moment estimates). */
  protected static Variable slot(Graph g, Variable v, String suffix) {
    Tensor zeros = g.ops().fill(v.dtype(), v.shape(), 0);
    return g.nonTrainableVariable(zeros, v.node().name() + "/" + suffix);
  }

  /** A scalar constant of {@code v}'s dtype. */
  protected static Tensor scalar(Graph g, double value, Tensor like) {
    return g.ops().scalarLike(value, like);
  }
}
