package io.anygraph.core;

import io.anygraph.core.exec.Runner;
import io.anygraph.core.exec.Runners;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TensorFlow-style front door: runs fetches of a graph with feeds, and holds variable values.
 *
 * <pre>{@code
 * try (Session sess = new Session(g)) {
 *   INDArray r = sess.run(a.add(b), Map.of(a, 10, b, 32));   // 42
 * }
 * }</pre>
 *
 * <p>The runner is found on the classpath (the local ND4J runner unless another is asked for).
 */
public final class Session implements AutoCloseable {
  private static final ThreadLocal<Session> DEFAULT = new ThreadLocal<>();

  private final Graph graph;
  private final Runner runner;

  public Session(Graph graph) {
    this(graph, Runners.create(graph, null));
  }

  public Session(Graph graph, Runner runner) {
    this.graph = graph;
    this.runner = runner;
  }

  public Graph graph() {
    return graph;
  }

  /** Evaluates one tensor. */
  public INDArray run(Tensor fetch, Map<?, ?> feeds) {
    return run(List.of(fetch), feeds).get(0);
  }

  public INDArray run(Tensor fetch) {
    return run(fetch, Map.of());
  }

  /**
   * Evaluates several tensors in one pass. Ops with side effects (assign, random) run once per call
   * however many fetches use them.
   */
  public List<INDArray> run(List<? extends Tensor> fetches, Map<?, ?> feeds) {
    for (Tensor t : fetches) {
      if (t.graph() != graph) {
        throw new AnygraphException("Fetch " + t.name() + " belongs to another graph");
      }
    }
    return runner.run(new ArrayList<>(fetches), Feeds.convert(graph, feeds));
  }

  /** Runs every variable's initializer ({@code tf.initialize_all_variables()}). */
  public void initializeAllVariables() {
    List<Tensor> inits = new ArrayList<>();
    for (Variable v : graph.variables()) {
      inits.add(v.initializer());
    }
    if (!inits.isEmpty()) {
      run(inits, Map.of());
    }
  }

  public INDArray variableValue(Variable v) {
    return runner.readVariable(v);
  }

  public void setVariableValue(Variable v, INDArray value) {
    runner.writeVariable(v, Feeds.value(v, value));
  }

  public boolean isInitialized(Variable v) {
    return runner.isInitialized(v);
  }

  /**
   * Makes this the session that {@link Tensor#eval} uses on this thread until the returned scope
   * closes ({@code with sess.as_default():}).
   */
  public Scope asDefault() {
    Session previous = DEFAULT.get();
    DEFAULT.set(this);
    return () -> DEFAULT.set(previous);
  }

  /** The session {@code eval} uses: the thread's default for this graph, else the graph's own. */
  static Session forEval(Graph graph) {
    Session s = DEFAULT.get();
    return s != null && s.graph == graph ? s : graph.ownSession();
  }

  public Runner runner() {
    return runner;
  }

  @Override
  public void close() {
    runner.close();
  }
}
