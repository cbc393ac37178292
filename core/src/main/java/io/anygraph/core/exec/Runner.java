package io.anygraph.core.exec;

import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Executes a graph for one {@link io.anygraph.core.Session}; owns that session's variable values.
 * Runners (local ND4J, Spark) live in their own modules and are found through {@link
 * RunnerFactory}. A runner only executes: what a program means is fixed by the graph.
 */
public interface Runner extends AutoCloseable {
  /**
   * Computes {@code fetches}. Feeds are already converted and checked against their tensors' types;
   * the runner checks that every placeholder the fetches need is fed, before any kernel.
   */
  List<INDArray> run(List<Tensor> fetches, Map<Tensor, INDArray> feeds);

  /** The variable's current value; fails if it was never initialized. */
  INDArray readVariable(Variable v);

  void writeVariable(Variable v, INDArray value);

  /** Whether the variable has a value in this runner. */
  boolean isInitialized(Variable v);

  @Override
  void close();
}
