package io.anygraph.core;

import java.util.List;

/**
 * One operation in a {@link Graph}: immutable once added.
 *
 * @param id position in the graph (nodes only refer to earlier ids)
 * @param name unique scoped name, e.g. {@code addition/add_1}
 * @param op the op's registry name, e.g. {@code add}
 * @param inputs data inputs, outputs of earlier nodes
 * @param attrs the op's attributes
 * @param outputs inferred static type of each output
 * @param device requested device ({@code cpu:0}, {@code gpu:1}), or {@code ""} for none
 * @param controlInputs nodes that must run before this one although no value flows
 */
public record Node(
    int id,
    String name,
    String op,
    List<Tensor> inputs,
    Attrs attrs,
    List<TensorType> outputs,
    String device,
    List<Node> controlInputs) {

  public Node {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    controlInputs = List.copyOf(controlInputs);
  }

  public Tensor input(int i) {
    return inputs.get(i);
  }

  public TensorType output(int i) {
    return outputs.get(i);
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
    return "'" + name + "' (" + op + ")";
  }
}
