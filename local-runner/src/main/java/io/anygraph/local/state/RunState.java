package io.anygraph.local.state;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * State that lives as long as a session: variable values and per-node random generators, shared by
 * every device and plan of the session. Views of it add what one shard or one run needs: the
 * shard's own random streams, and the rendezvous where transfers between devices meet.
 */
public final class RunState implements AutoCloseable {
  private final Long graphSeed;
  private final VariableStore variables;
  private final Map<String, Random> generators;
  private final String shard;
  private final long shardSeed;
  private final Rendezvous rendezvous;

  public RunState(Graph graph) {
    this(graph.seed().orElse(null), new VariableStore(), new ConcurrentHashMap<>(), null, 0, null);
  }

  private RunState(
      Long graphSeed,
      VariableStore variables,
      Map<String, Random> generators,
      String shard,
      long shardSeed,
      Rendezvous rendezvous) {
    this.graphSeed = graphSeed;
    this.variables = variables;
    this.generators = generators;
    this.shard = shard;
    this.shardSeed = shardSeed;
    this.rendezvous = rendezvous;
  }

  public VariableStore variables() {
    return variables;
  }

  /** The same variables, with random streams of shard {@code shard} (each shard draws its own). */
  public RunState forShard(int shard) {
    return new RunState(graphSeed, variables, generators, "#shard" + shard, shard, rendezvous);
  }

  /**
   * Shard {@code shard} of step {@code step}, for runners whose tasks start afresh each step
   * (Spark): the streams depend on the step, not on what ran before, so a retried task draws the
   * same numbers.
   */
  public RunState forShard(int shard, long step) {
    return new RunState(
        graphSeed,
        variables,
        generators,
        "#shard" + shard + "#step" + step,
        mix(step * 0x9E3779B97F4A7C15L + shard),
        rendezvous);
  }

  /**
   * Step {@code position} of a loop drawing from {@code seed}: the random ops of its body get fresh
   * streams keyed by the seed, the step's position and the node, so a gradient loop replaying the
   * step draws the same numbers. Close it after the step.
   */
  public RunState loopStep(long seed, long position) {
    return new RunState(
        graphSeed == null ? 87654321L : graphSeed, // the seed already varies between runs
        variables,
        new ConcurrentHashMap<>(),
        "#loop" + seed + "@" + position,
        mix(seed * 0x9E3779B97F4A7C15L + position),
        rendezvous);
  }

  /** The same state, with the rendezvous of one multi-device run. */
  public RunState withRendezvous(Rendezvous r) {
    return new RunState(graphSeed, variables, generators, shard, shardSeed, r);
  }

  /** Where the transfers of the current multi-device run meet. */
  public Rendezvous rendezvous() {
    if (rendezvous == null) {
      throw new IllegalStateException("send/recv run outside a multi-device plan");
    }
    return rendezvous;
  }

  /**
   * The generator of a random node, created at its first run from {@link #seedOf}. Keyed by the
   * node's name, so the copies the partitioner makes of a node continue the same stream.
   */
  public Random random(Node node) {
    String key = shard == null ? node.name() : node.name() + shard;
    return generators.computeIfAbsent(
        key,
        k ->
            Nd4j.getRandomFactory()
                .getNewRandomInstance(
                    shard == null
                        ? seedOf(graphSeed, node)
                        : mix(seedOf(graphSeed, node) + shardSeed)));
  }

  /**
   * TensorFlow's seeding rule: an op seed combines with the graph seed; without an op seed the
   * node's name stands in for it; without either, the numbers are not reproducible.
   */
  static long seedOf(Long graphSeed, Node node) {
    Long opSeed = node.attrs().has("seed") ? node.attrs().getLong("seed") : null;
    if (opSeed == null && graphSeed == null) {
      return System.nanoTime() ^ node.name().hashCode();
    }
    long g = graphSeed == null ? 87654321L : graphSeed;
    return mix(g * 0x9E3779B97F4A7C15L + (opSeed == null ? nameHash(node.name()) : opSeed));
  }

  /** 64-bit FNV-1a of the name: stable across JVMs, unlike identity hashes. */
  private static long nameHash(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    return h;
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
