package io.anygraph.local.exec;

import io.anygraph.core.Subgraph;
import io.anygraph.core.Tensor;
import io.anygraph.local.state.RunState;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the nested graphs of control-flow ops: each is compiled once (kept while its graph lives)
 * and run with the outer run's state, so bodies read the session's variables and random streams.
 */
final class SubgraphPrograms {
  private static final Map<Subgraph, Program> PROGRAMS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private SubgraphPrograms() {}

  static List<INDArray> run(Subgraph graph, List<INDArray> inputs, RunState state) {
    Program p = PROGRAMS.get(graph);
    if (p == null) {
      p = Compiler.compile(graph.outputs(), graph.inputs());
      PROGRAMS.put(graph, p);
    }
    Map<Tensor, INDArray> feeds = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      feeds.put(graph.inputs().get(i), inputs.get(i));
    }
    return p.run(feeds, state);
  }
}
