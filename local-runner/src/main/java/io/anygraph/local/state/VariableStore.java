package io.anygraph.local.state;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Current values of a session's variables, by variable node name. */
public final class VariableStore {
  private final Map<String, INDArray> values = new ConcurrentHashMap<>();

  /**
   * The value of a variable node. A Theano-style shared variable starts from its initial value; any
   * other variable must have been initialized.
   */
  public INDArray read(Node variable) {
    INDArray v = values.get(variable.name());
    if (v != null) {
      return v;
    }
    if (variable.attrs().has("initialValue")) {
      return values.computeIfAbsent(
          variable.name(), k -> variable.attrs().getArray("initialValue").dup());
    }
    throw new AnygraphException(
        "Variable '"
            + variable.name()
            + "' ("
            + variable.output(0)
            + ") is not initialized: run session.initializeAllVariables() first, or create it with"
            + " graph.shared(value, name), which needs no initialization");
  }

  public void write(Node variable, INDArray value) {
    values.put(variable.name(), value);
  }

  public boolean has(Node variable) {
    return values.containsKey(variable.name()) || variable.attrs().has("initialValue");
  }

  public Map<String, INDArray> snapshot() {
    return Map.copyOf(values);
  }
}
