package io.anygraph.local;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.exec.Runner;
import io.anygraph.local.exec.Compiler;
import io.anygraph.local.exec.Program;
import io.anygraph.local.exec.RunState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs graphs in this JVM on ND4J. Each distinct (fetches, fed tensors) pair is compiled once and
 * cached: the graph is append-only, so a compiled program never goes stale.
 */
public final class LocalRunner implements Runner {
  private record ProgramKey(List<Tensor> fetches, Set<Tensor> fed) {}

  private final Graph graph;
  private final RunState state;
  private final Map<ProgramKey, Program> programs = new ConcurrentHashMap<>();

  public LocalRunner(Graph graph) {
    this.graph = graph;
    this.state = new RunState(graph);
  }

  @Override
  public synchronized List<INDArray> run(List<Tensor> fetches, Map<Tensor, INDArray> feeds) {
    ProgramKey key = new ProgramKey(List.copyOf(fetches), Set.copyOf(feeds.keySet()));
    Program p = programs.computeIfAbsent(key, k -> Compiler.compile(k.fetches(), k.fed()));
    return p.run(feeds, state);
  }

  /** The compiled program for these fetches and fed tensors (for inspection and benchmarks). */
  public Program program(List<Tensor> fetches, Set<Tensor> fed) {
    return programs.computeIfAbsent(new ProgramKey(List.copyOf(fetches), Set.copyOf(fed)),
        k -> Compiler.compile(k.fetches(), k.fed()));
  }

  @Override
  public INDArray readVariable(Variable v) {
    return state.variables().read(v.node()).dup();
  }

  @Override
  public void writeVariable(Variable v, INDArray value) {
    state.variables().write(v.node(), value.dup());
  }

  @Override
  public boolean isInitialized(Variable v) {
    return state.variables().has(v.node());
  }

  public Graph graph() {
    return graph;
  }

  @Override
  public void close() {
    state.close();
  }
}
