package io.anygraph.local;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.exec.Runner;
import io.anygraph.core.exec.Schedule;
import io.anygraph.local.exec.Compiler;
import io.anygraph.local.exec.Program;
import io.anygraph.local.kernels.KernelRegistry;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.PlanExecutor;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Partitioner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.common.Cluster;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs graphs in this JVM on ND4J. Each distinct (fetches, fed tensors) pair is compiled once and
 * cached: the graph is append-only, so a compiled program never goes stale. A step that uses one
 * device runs as one program; one that asks for other devices, or splits sharded feeds across
 * several logical devices ({@link LocalOptions}), runs as the partitioner's {@link Plan}.
 *
 * <pre>{@code
 * try (Session sess = new Session(g, new LocalRunner(g, LocalOptions.cpus(2)))) { ... }
 * }</pre>
 */
public final class LocalRunner implements Runner {
  private record ProgramKey(List<Tensor> fetches, Set<Tensor> fed) {}

  /** A compiled step: a single program, or a plan's executor. */
  private interface Step {
    List<INDArray> run(Map<Tensor, INDArray> feeds);
  }

  private final Graph graph;
  private final RunState state;
  private final Cluster cluster;
  private final LogicalDevices devices = new LogicalDevices();
  private final Map<ProgramKey, Step> steps = new ConcurrentHashMap<>();

  public LocalRunner(Graph graph) {
    this(graph, LocalOptions.defaults());
  }

  public LocalRunner(Graph graph, LocalOptions options) {
    this.graph = graph;
    this.state = new RunState(graph);
    this.cluster = options.cluster((op, device) -> KernelRegistry.ops().contains(op));
  }

  @Override
  public synchronized List<INDArray> run(List<Tensor> fetches, Map<Tensor, INDArray> feeds) {
    ProgramKey key = new ProgramKey(List.copyOf(fetches), Set.copyOf(feeds.keySet()));
    return steps.computeIfAbsent(key, k -> compile(k.fetches(), k.fed())).run(feeds);
  }

  private Step compile(List<Tensor> fetches, Set<Tensor> fed) {
    Plan plan = needsPlan(fetches, fed) ? plan(fetches, fed) : null;
    if (plan == null
        || plan.isSingleDevice() && plan.driver().devices().get(0).device().startsWith("cpu:")) {
      Program p = Compiler.compile(fetches, fed);
      return feeds -> p.run(feeds, state);
    }
    PlanExecutor e = new PlanExecutor(plan);
    return feeds -> e.run(feeds, state, devices);
  }

  /** Whether the step may use more than one device, or a device other than the default. */
  private boolean needsPlan(List<Tensor> fetches, Set<Tensor> fed) {
    if (cluster.devices().size() > 1) {
      return true;
    }
    for (Node n : Schedule.needed(fetches, fed)) {
      if (!n.device().isEmpty() && !n.device().equals(cluster.defaultDevice())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The partitioner's plan for these fetches: feeds made in {@code g.sharded()} are split across
   * the devices when there are several.
   */
  public Plan plan(List<Tensor> fetches, Set<Tensor> fed) {
    return Partitioner.plan(fetches, fed, cluster, cluster.replicas().size() > 1);
  }

  public Cluster cluster() {
    return cluster;
  }

  /**
   * The single-device program for these fetches and fed tensors (for inspection and benchmarks).
   */
  public Program program(List<Tensor> fetches, Set<Tensor> fed) {
    return Compiler.compile(fetches, fed);
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
    devices.close();
    state.close();
  }
}
