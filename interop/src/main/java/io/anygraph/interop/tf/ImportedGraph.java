package io.anygraph.interop.tf;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An imported TensorFlow graph: the Anygraph {@link Graph}, and its tensors by TensorFlow name.
 *
 * <pre>{@code
 * ImportedGraph tf = GraphDefs.importGraph(Path.of("model.pb"));
 * Tensor loss = tf.tensor("loss:0");
 * Tensor step = new GradientDescent(0.1).minimize(loss);
 * }</pre>
 */
public final class ImportedGraph {
  private final Graph graph;
  private final Map<String, List<Tensor>> outputs;
  private final Map<String, Tensor> placeholders;

  ImportedGraph(Graph graph, Map<String, List<Tensor>> outputs, Map<String, Tensor> placeholders) {
    this.graph = graph;
    this.outputs = outputs;
    this.placeholders = Collections.unmodifiableMap(placeholders);
  }

  public Graph graph() {
    return graph;
  }

  /** The tensor TensorFlow names {@code "scope/op:i"} (or {@code "scope/op"} for output 0). */
  public Tensor tensor(String tfName) {
    int colon = tfName.lastIndexOf(':');
    String node = tfName;
    int index = 0;
    if (colon > 0 && tfName.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      node = tfName.substring(0, colon);
      index = Integer.parseInt(tfName.substring(colon + 1));
    }
    List<Tensor> outs = outputs.get(node);
    if (outs == null) {
      throw new GraphImportException(
          "No imported TensorFlow node '"
              + node
              + "' (unused nodes are not imported unless asked)");
    }
    if (index >= outs.size()) {
      throw new GraphImportException(
          "TensorFlow node '" + node + "' has " + outs.size() + " outputs, not " + (index + 1));
    }
    return outs.get(index);
  }

  /** Whether the TensorFlow node {@code node} was imported. */
  public boolean has(String node) {
    return outputs.containsKey(node);
  }

  /** The placeholders by TensorFlow name, in graph order. */
  public Map<String, Tensor> placeholders() {
    return placeholders;
  }

  /** The variables by TensorFlow name (of their {@code VariableV2} or {@code VarHandleOp}). */
  public Map<String, Variable> variables() {
    Map<String, Variable> m = new LinkedHashMap<>();
    for (Variable v : graph.variables()) {
      m.put(v.node().name(), v);
    }
    return Collections.unmodifiableMap(m);
  }
}
