package io.anygraph.partition.common;

import io.anygraph.core.Attrs;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.OpNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a new graph from parts of another, keeping node names (so variables, random streams and
 * fetches keep their identity across the partitioner's graphs) and the graph seed. Each pass of the
 * partitioner writes its result through one of these.
 */
public final class GraphCopy {
  private final Graph source;
  private final Graph target = new Graph();
  private final Map<Tensor, Tensor> tensors = new HashMap<>();
  private final Map<Node, Node> nodes = new HashMap<>();

  public GraphCopy(Graph source) {
    this.source = source;
    source.seed().ifPresent(target::setSeed);
  }

  public Graph graph() {
    return target;
  }

  public boolean has(Tensor source) {
    return tensors.containsKey(source);
  }

  /** The copy of a source tensor; it must have been copied or bound already. */
  public Tensor get(Tensor source) {
    Tensor t = tensors.get(source);
    if (t == null) {
      throw new IllegalStateException("tensor " + source.name() + " has no copy yet");
    }
    return t;
  }

  public List<Tensor> get(List<Tensor> sources) {
    return sources.stream().map(this::get).toList();
  }

  /** The copy of a source node, or null when it was not copied. */
  public Node node(Node source) {
    return nodes.get(source);
  }

  /** Makes {@code copy} stand for {@code source} in later copies. */
  public void bind(Tensor source, Tensor copy) {
    tensors.put(source, copy);
  }

  /**
   * Copies a node as it is; its inputs must have copies, control inputs without one are dropped.
   */
  public Node copy(Node n) {
    return copy(n, get(n.inputs()), n.attrs());
  }

  /** Copies a node under its own name with other inputs or attributes (a rewrite). */
  public Node copy(Node n, List<Tensor> inputs, Attrs attrs) {
    return copy(n, inputs, attrs, List.of());
  }

  /** ... with control inputs of the new graph added to those that have copies. */
  public Node copy(Node n, List<Tensor> inputs, Attrs attrs, List<Node> extraControls) {
    List<Node> controls = new ArrayList<>(extraControls);
    for (Node c : n.controlInputs()) {
      if (nodes.containsKey(c)) {
        controls.add(nodes.get(c));
      }
    }
    Node copy = target.insert(n.name(), n.op(), inputs, attrs, n.device(), controls);
    nodes.put(n, copy);
    for (int i = 0; i < n.outputs().size(); i++) {
      tensors.put(source.output(n, i), output(copy, i));
    }
    if (n.op().equals(OpNames.VARIABLE)) {
      target.markVariable(copy, output(copy, 0));
    }
    return copy;
  }

  /** Adds a node of the partitioner's own under an exact name; returns its output 0. */
  public Tensor add(String name, String op, List<Tensor> inputs, Attrs attrs, String device) {
    return add(name, op, inputs, attrs, device, List.of());
  }

  public Tensor add(
      String name,
      String op,
      List<Tensor> inputs,
      Attrs attrs,
      String device,
      List<Node> controls) {
    return output(target.insert(name, op, inputs, attrs, device, controls), 0);
  }

  /** A placeholder standing for {@code source} (a fed tensor, or a value from another stage). */
  public Tensor placeholder(Tensor source, String name, TensorType type, Attrs extra) {
    Attrs attrs = extra.with("dtype", type.dtype()).with("shape", type.shape());
    Tensor p = add(name, OpNames.PLACEHOLDER, List.of(), attrs, "");
    bind(source, p);
    return p;
  }

  public Tensor output(Node copy, int index) {
    return target.output(copy, index);
  }
}
