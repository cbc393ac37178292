package io.anygraph.core;

import io.anygraph.core.ops.OpNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables of one graph: each variable node with its initializer, in creation order. {@link
 * Graph} is the public face and holds the lock.
 */
final class VariableTable {
  private final List<Variable> variables = new ArrayList<>();
  private final Map<Node, Variable> variableOf = new HashMap<>();

  /**
   * A new variable node of {@code init}'s type, with {@code extra} attributes, and its initializer
   * {@code name/Assign}.
   */
  Variable create(Graph g, Tensor init, String name, Attrs extra) {
    TensorType t = init.type();
    if (!t.shape().isFullyDefined()) {
      throw new ShapeException(
          "Variable '"
              + (name == null ? "variable" : name)
              + "': the initial value "
              + init.name()
              + " has shape "
              + t.shape()
              + ", which must be fully defined");
    }
    Attrs attrs = Attrs.of("dtype", t.dtype(), "shape", t.shape());
    for (var e : extra.asMap().entrySet()) {
      attrs = attrs.with(e.getKey(), e.getValue());
    }
    Node varNode = g.add(OpNames.VARIABLE, List.of(), attrs, name).get(0).node();
    Tensor initOp;
    try (var s = g.nameScope(varNode.name() + "/")) {
      initOp = g.withName("Assign").assign(new Tensor(g, varNode, 0), init);
    }
    return mark(g, varNode, initOp);
  }

  /** Records {@code varNode} as a variable with {@code initializer}. */
  Variable mark(Graph g, Node varNode, Tensor initializer) {
    Variable v = new Variable(g, varNode, initializer);
    variables.add(v);
    variableOf.put(varNode, v);
    return v;
  }

  Optional<Variable> of(Node node) {
    return Optional.ofNullable(variableOf.get(node));
  }

  List<Variable> all() {
    return Collections.unmodifiableList(new ArrayList<>(variables));
  }
}
