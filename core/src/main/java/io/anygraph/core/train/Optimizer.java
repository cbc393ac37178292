package io.anygraph.core.train;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Attrs;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.autodiff.IndexedSlices;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * the same parameter values. The learning rate is a constant or a scalar tensor ({@link
 * Schedules}); a graph with a {@link GlobalStep} has it incremented by every step.
 *
 * <p>Each optimizer writes its rule once ({@link StepRule}), on tensors that are either a whole
 * variable or some of its rows. A sparse gradient ({@link IndexedSlices}: the gradient of {@code
 * gather}, e.g. of an embedding lookup) has its repeated indices summed first, and then the rule
 * runs on the touched rows only: the variable's and its slots' rows are gathered, and the results
 * written back with {@code scatterSub} / {@code scatterUpdate}. Slots of untouched rows stay as
 * they are (TensorFlow's sparse "lazy" semantics, as its {@code SparseApply*} kernels and {@code
 * LazyAdamOptimizer}); no dense [vocab, dim] gradient is made.
 */
public abstract class Optimizer {
  private final String name;
  private final LearningRate learningRate;

  protected Optimizer(String name, double learningRate) {
    this(name, LearningRate.of(learningRate));
  }

  protected Optimizer(String name, Tensor learningRate) {
    this(name, LearningRate.of(learningRate));
  }

  private Optimizer(String name, LearningRate learningRate) {
    this.name = name;
    this.learningRate = learningRate;
  }

  /** A slot variable per trained variable: its name suffix and initial value. */
  protected record Slot(String suffix, double initial) {}

  /**
   * What a rule gives for some values: the amount to subtract from them, and the slots' new values.
   */
  protected record Update(Tensor delta, List<Tensor> slots) {}

  /** One optimizer's update for one {@link #minimize} call. */
  protected interface StepRule {
    /**
     * The update of values {@code w} with gradient {@code grad}, the slots' current values in the
     * order of {@link #slots()}; all of one shape (a whole variable, or the touched rows of one).
     */
    Update apply(Tensor w, List<Tensor> slots, Tensor grad);

    /** Updates of shared state once per step (Adam's powers of beta). */
    default List<Tensor> finish() {
      return List.of();
    }
  }

  /** The slots each trained variable gets. */
  protected abstract List<Slot> slots();

  /** The rule for one step over {@code vars}, creating any shared state it needs. */
  protected abstract StepRule begin(Graph g, List<Variable> vars);

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
    return applyGradients(loss.graph().grad(loss, vars), vars);
  }

  /**
   * The step for gradients computed (and perhaps clipped) by the caller, as TensorFlow's {@code
   * apply_gradients}: {@code grads.get(i)} updates {@code vars.get(i)}. A gradient that is still an
   * {@code IndexedSlices} node is applied to its rows; one read by other ops (clipping multiplies
   * it) is applied densely.
   *
   * <pre>{@code
   * ClippedByGlobalNorm c = g.ops().clipByGlobalNorm(g.grad(loss, vars), 1.0);
   * Tensor train = new AdamW(1e-3, 0.01).applyGradients(c.tensors(), vars);
   * }</pre>
   */
  public Tensor applyGradients(List<Tensor> grads, List<Variable> vars) {
    if (grads.size() != vars.size() || vars.isEmpty()) {
      throw new AnygraphException(
          name
              + ".applyGradients: "
              + grads.size()
              + " gradients for "
              + vars.size()
              + " variables (one each, at least one)");
    }
    Graph g = vars.get(0).graph();
    List<Tensor> updates = new ArrayList<>();
    try (Scope s = g.nameScope(name)) {
      StepRule rule = begin(g, vars);
      for (int i = 0; i < vars.size(); i++) {
        Variable v = vars.get(i);
        List<Variable> slotVars = new ArrayList<>();
        for (Slot slot : slots()) {
          slotVars.add(slot(g, v, slot));
        }
        Optional<IndexedSlices> sparse = IndexedSlices.of(grads.get(i));
        if (sparse.isPresent()) {
          updates.addAll(applySparse(g, rule, v, slotVars, sparse.get().summedDuplicates()));
        } else {
          updates.addAll(applyDense(g, rule, v, slotVars, grads.get(i)));
        }
      }
      updates.addAll(rule.finish());
      GlobalStep.find(g).ifPresent(step -> updates.add(g.ops().assignAdd(step, one(step))));
      return g.withName("step").group(updates);
    }
  }

  private static List<Tensor> applyDense(
      Graph g, StepRule rule, Variable v, List<Variable> slotVars, Tensor grad) {
    Update u = rule.apply(v, List.copyOf(slotVars), grad);
    List<Tensor> updates = new ArrayList<>();
    for (int j = 0; j < slotVars.size(); j++) {
      updates.add(g.ops().assign(slotVars.get(j), u.slots().get(j)));
    }
    updates.add(g.ops().assign(v, v.sub(u.delta())));
    return updates;
  }

  /** The rule on the touched rows (each index once): gathered, updated, scattered back. */
  private static List<Tensor> applySparse(
      Graph g, StepRule rule, Variable v, List<Variable> slotVars, IndexedSlices grad) {
    Tensor idx = grad.indices();
    List<Tensor> slotRows = new ArrayList<>();
    for (Variable s : slotVars) {
      slotRows.add(g.ops().gather(s, idx));
    }
    Update u = rule.apply(g.ops().gather(v, idx), slotRows, grad.rows());
    List<Tensor> updates = new ArrayList<>();
    for (int j = 0; j < slotVars.size(); j++) {
      updates.add(scatter("scatterUpdate", slotVars.get(j), idx, u.slots().get(j)));
    }
    updates.add(scatter("scatterSub", v, idx, u.delta()));
    return updates;
  }

  private static Tensor scatter(String op, Variable v, Tensor indices, Tensor rows) {
    return v.graph().add(op, List.of(v, indices, rows), Attrs.empty(), null).get(0);
  }

  /** The learning rate as a scalar of {@code like}'s dtype. */
  protected Tensor learningRate(Tensor like) {
    return learningRate.like(like);
  }

  private static Variable slot(Graph g, Variable v, Slot slot) {
    Tensor init = g.ops().fill(v.dtype(), v.shape(), slot.initial());
    return g.nonTrainableVariable(init, v.node().name() + "/" + slot.suffix());
  }

  private static Tensor one(Tensor like) {
    return like.graph().ops().scalarLike(1, like);
  }

  /** A scalar constant of {@code like}'s dtype. */
  protected static Tensor scalar(double value, Tensor like) {
    return like.graph().ops().scalarLike(value, like);
  }
}
