package io.anygraph.core;

import io.anygraph.core.ops.OpNames;
import java.util.List;

/**
 * A nested graph held in a control-flow node's attribute (TensorFlow's function bodies in control
 * flow v2): its own graph, the placeholders that receive the node's inputs, and the tensors it
 * returns. Built by {@link ControlFlow} or by gradient rules; never changed once held by a node.
 *
 * @param graph the nested graph; it holds no variables (bodies read outer ones as inputs)
 * @param inputs placeholders of {@code graph}, fed in order with the values the node passes in
 * @param outputs tensors of {@code graph} the node reads back, in order
 */
public record Subgraph(Graph graph, List<Tensor> inputs, List<Tensor> outputs) {

  public Subgraph {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    for (Tensor t : inputs) {
      if (t.graph() != graph || !t.op().equals(OpNames.PLACEHOLDER)) {
        throw new AnygraphException("Subgraph input " + t.name() + " must be its own placeholder");
      }
    }
    for (Tensor t : outputs) {
      if (t.graph() != graph) {
        throw new AnygraphException("Subgraph output " + t.name() + " belongs to another graph");
      }
    }
  }

  public List<TensorType> inputTypes() {
    return inputs.stream().map(Tensor::type).toList();
  }

  public List<TensorType> outputTypes() {
    return outputs.stream().map(Tensor::type).toList();
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "subgraph("
        + graph.size()
        + " nodes, "
        + inputs.size()
        + " in, "
        + outputs.size()
        + " out)";
  }
}
