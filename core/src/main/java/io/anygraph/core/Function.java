package io.anygraph.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Theano-style front door: a compiled function from input tensors to outputs, optionally with
 * updates of shared variables applied after the outputs are computed.
 *
 * <pre>{@code
 * Function f = g.function(List.of(a, b), a.add(b));
 * f.call(10, 32);   // 42
 * }</pre>
 *
 * <p>Functions of one graph share the graph's own session, so updates made by one are seen by the
 * others, as with Theano's shared variables.
 */
public final class Function {
  private final Graph graph;
  private final String name;
  private final List<Tensor> inputs;
  private final List<Tensor> outputs;
  private final List<Tensor> fetches;

  Function(
      Graph graph,
      String name,
      List<? extends Tensor> inputs,
      List<? extends Tensor> outputs,
      Map<Variable, ? extends Tensor> updates) {
    this.graph = graph;
    this.name = name == null ? "function" : name;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.fetches = new ArrayList<>(outputs);
    if (!updates.isEmpty()) {
      try (var s = graph.nameScope(this.name + "_updates")) {
        for (Map.Entry<Variable, ? extends Tensor> u : new LinkedHashMap<>(updates).entrySet()) {
          fetches.add(graph.ops().assign(u.getKey(), u.getValue()));
        }
      }
    }
  }

  public String name() {
    return name;
  }

  /** Calls a single-output function; arguments in the order of the inputs. */
  public INDArray call(Object... args) {
    if (outputs.size() != 1) {
      throw new AnygraphException(
          "Function '" + name + "' has " + outputs.size() + " outputs: use callAll");
    }
    return callAll(args).get(0);
  }

  /** Calls the function and returns every output. */
  public List<INDArray> callAll(Object... args) {
    if (args.length != inputs.size()) {
      throw new FeedException(
          "Function '"
              + name
              + "' takes "
              + inputs.size()
              + " arguments ("
              + inputs.stream().map(Tensor::name).toList()
              + "), got "
              + args.length);
    }
    Map<Tensor, Object> feeds = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      feeds.put(inputs.get(i), args[i]);
    }
    List<INDArray> all = graph.ownSession().run(fetches, feeds);
    return all.subList(0, outputs.size());
  }
}
