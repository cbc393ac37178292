package io.anygraph.core.train;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Variable;
import java.util.Optional;

/**
 * The graph's training-step counter ({@code tf.train.get_or_create_global_step}): an int64 scalar
 * variable named {@code global_step}, 0 at first. Every {@link Optimizer#minimize} step of a graph
 * that has one adds 1 to it, after the step's reads, so a learning-rate schedule sees step 0 on the
 * first step. A checkpoint carries it like any variable.
 *
 * <pre>{@code
 * Tensor lr = Schedules.exponentialDecay(GlobalStep.of(g), 0.1, 1000, 0.5, true);
 * Tensor train = new Adam(lr).minimize(loss);  // increments global_step
 * }</pre>
 */
public final class GlobalStep {
  /** The counter's node name. */
  public static final String NAME = "global_step";

  private GlobalStep() {}

  /** The graph's counter, created (at the top-level name scope) on first use. */
  public static Variable of(Graph g) {
    synchronized (g) {
      Optional<Variable> existing = find(g);
      if (existing.isPresent()) {
        return existing.get();
      }
      try (Scope root = g.nameScope("/")) {
        return g.nonTrainableVariable(g.ops().fill(DType.INT64, Shape.scalar(), 0), NAME);
      }
    }
  }

  /** The graph's counter, if it has one. */
  public static Optional<Variable> find(Graph g) {
    return g.hasNode(NAME) ? g.variableOf(g.node(NAME)) : Optional.empty();
  }
}
