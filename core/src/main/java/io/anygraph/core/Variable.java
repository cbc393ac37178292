package io.anygraph.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A tensor whose value persists across runs, held in the runner's variable store (TensorFlow's
 * {@code tf.Variable}, Theano's shared variable). Use it like any tensor; its value changes only
 * through {@code assign} ops, e.g. an optimizer's update.
 */
public final class Variable extends Tensor {
  private final Tensor initializer;

  Variable(Graph graph, Node node, Tensor initializer) {
    super(graph, node, 0);
    this.initializer = initializer;
  }

  /** The op that sets the variable to its initial value (run by {@code initializeAllVariables}). */
  public Tensor initializer() {
    return initializer;
  }

  /** Theano-style shared variables carry their value and need no explicit initialization. */
  public boolean isShared() {
    return node().attrs().has("initialValue");
  }

  /** Whether {@code Optimizer.minimize(loss)} trains it (false for optimizer slots, counters). */
  public boolean isTrainable() {
    return node().attrs().getBool("trainable", true);
  }

  /** The variable's current value in the graph's own session (Theano's {@code get_value()}). */
  public INDArray getValue() {
    return graph().ownSession().variableValue(this);
  }

  /** Sets the value in the graph's own session (Theano's {@code set_value()}). */
  public void setValue(INDArray value) {
    graph().ownSession().setVariableValue(this, value);
  }
}
