package io.anygraph.local.exec;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** State that lives as long as a session: variable values and per-node random generators. */
public final class RunState implements AutoCloseable {
  private final Graph graph;
  private final VariableStore variables = new VariableStore();
  private final Map<Node, Random> generators = new ConcurrentHashMap<>();

  public RunState(Graph graph) {
    this.graph = graph;
  }

  public VariableStore variables() {
    return variables;
  }

  /** The generator of a random node, created at its first run from {@link #seedOf}. */
  public Random random(Node node) {
    return generators.computeIfAbsent(node,
        n -> Nd4j.getRandomFactory().getNewRandomInstance(seedOf(graph, n)));
  }

  /**
   * TensorFlow's seeding rule: an op seed combines with the graph seed; without an op seed the
   * node's position stands in for it; without either, the numbers are not reproducible.
   */
  static long seedOf(Graph graph, Node node) {
    Long opSeed = node.attrs().has("seed") ? node.attrs().getLong("seed") : null;
    Long graphSeed = graph.seed().orElse(null);
    if (opSeed == null && graphSeed == null) {
      return System.nanoTime() ^ node.id();
    }
    long g = graphSeed == null ? 87654321L : graphSeed;
    return mix(g * 0x9E3779B97F4A7C15L + (opSeed == null ? node.id() : opSeed));
  }

  /** splitmix64's finalizer: nearby seeds give unrelated streams. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void close() {
    for (Random r : generators.values()) {
      try {
        r.close();
      } catch (Exception e) {
        // a generator that fails to release its native buffer leaks only that buffer
      }
    }
    generators.clear();
  }
}
