package io.anygraph.local.kernels;

import io.anygraph.core.Subgraph;
import io.anygraph.local.state.RunState;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How control-flow kernels run a nested graph. The executor ({@code local.exec}) compiles and runs
 * graphs and itself depends on the kernels, so it installs itself here rather than the kernels
 * calling it directly.
 */
public final class SubgraphRunner {
  /** Runs a nested graph on its inputs, in order; returns fresh arrays the caller owns. */
  @FunctionalInterface
  public interface Runner {
    List<INDArray> run(Subgraph graph, List<INDArray> inputs, RunState state);
  }

  private static volatile Runner runner;

  private SubgraphRunner() {}

  /** Called once by the executor before any program runs. */
  public static void install(Runner r) {
    runner = r;
  }

  static List<INDArray> run(Subgraph graph, List<INDArray> inputs, RunState state) {
    Runner r = runner;
    if (r == null) {
      throw new IllegalStateException("no executor installed to run nested graphs");
    }
    return r.run(graph, inputs, state);
  }
}
