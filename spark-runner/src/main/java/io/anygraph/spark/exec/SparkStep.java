package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.PlanExecutor;
import io.anygraph.local.plan.WorkerStageTasks;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.RingLayout;
import io.anygraph.spark.exchange.SliceSpec;
import io.anygraph.spark.ring.RingAllReduce;
import io.anygraph.spark.ship.ShippedGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plan with a worker stage, on Spark: the plan's one step sequence ({@link PlanExecutor}) with
 * the worker stage's tasks run as one Spark job per run ({@link WorkerJob}), its boundaries
 * combined in a fixed order, as a tree (or, under the ring exchange, all-reduced among the tasks of
 * a barrier stage), then the driver stage here on the combined values, applying the updates once;
 * or, under the sharded exchange, a {@link ShardedJob} that also applies the driver stage on the
 * executors, per parameter slice. The worker stage is broadcast once per plan.
 */
final class SparkStep implements CompiledStep {
  private final Plan plan;
  private final WorkerStage stage;
  private final Broadcast<WorkerStage> shipped;
  private final PlanExecutor executor;
  private final String description;
  private final SliceSpec slices;
  private final RingLayout ring;
  private final int ringTimeoutMillis;
  private final Broadcast<ShippedGraph> shippedDriver;
  private long resultKryoNanos = -1;
  private long groupKryoNanos = -1;

  /**
   * @param slices how the driver stage is applied per parameter slice under the sharded exchange,
   *     or null for the tree and ring exchanges
   * @param ring the all-reduce boundaries' buffer under the ring exchange, or null
   */
  SparkStep(
      JavaSparkContext sc,
      Plan plan,
      Map<String, String> columns,
      SliceSpec slices,
      RingLayout ring) {
    this.plan = plan;
    this.slices = slices;
    this.ring = ring;
    this.ringTimeoutMillis =
        (int) sc.getConf().getTimeAsMs(RingAllReduce.TIMEOUT_KEY, RingAllReduce.DEFAULT_TIMEOUT);
    this.shippedDriver =
        slices == null ? null : sc.broadcast(ShippedGraph.of(plan.driver().graph()));
    this.stage = WorkerStage.of(plan, columns);
    this.shipped = sc.broadcast(stage);
    this.executor = new PlanExecutor(plan);
    this.description =
        String.join(", ", plan.fetches())
            + ": worker stage ("
            + String.join(", ", scopes(plan.worker().graph()))
            + "; "
            + plan.worker().graph().size()
            + " nodes), "
            + plan.boundaries().size()
            + " aggregates";
  }

  @Override
  public Plan plan() {
    return plan;
  }

  @Override
  public List<INDArray> run(
      Map<Tensor, INDArray> feeds,
      RunState state,
      LogicalDevices devices,
      Function<SparkStep, StepRun> job) {
    return run(job.apply(this));
  }

  /**
   * One run: the worker job over the bound data's blocks (the batch's rows) or over the sharded
   * arrays among the feeds, then the driver stage; the run's times go to {@code run.times()}.
   */
  List<INDArray> run(StepRun run) {
    WorkerStageTasks tasks =
        slices != null
            ? new ShardedJob(this, run)
            : ring != null
                ? new WorkerJob(this, run, RingTask.combiner(ring, ringTimeoutMillis))
                : new WorkerJob(this, run);
    return executor.run(run.feeds(), run.state(), run.devices(), tasks);
  }

  /** The strategy this step runs with. */
  Exchange exchange() {
    return slices != null ? Exchange.SHARDED : ring != null ? Exchange.RING : Exchange.TREE;
  }

  /** The ring's buffer layout under the ring exchange; null otherwise. */
  RingLayout ring() {
    return ring;
  }

  /** The driver stage's slicing under the sharded exchange; null under tree. */
  SliceSpec slices() {
    return slices;
  }

  Broadcast<ShippedGraph> shippedDriver() {
    return shippedDriver;
  }

  WorkerStage stage() {
    return stage;
  }

  Broadcast<WorkerStage> shipped() {
    return shipped;
  }

  /** The plan's fetches and worker stage in words: the description of its Spark jobs. */
  String description() {
    return description;
  }

  /** Kryo time for a step's result, measured once: every step's result has one size. */
  long resultKryoNanos(StepResult r) {
    if (resultKryoNanos < 0) {
      resultKryoNanos = StepTimes.kryoNanos(r, StepResult.class);
    }
    return resultKryoNanos;
  }

  /** Kryo time for task 0's result of a group of steps, measured once (the variables dominate). */
  long resultKryoNanos(GroupResult r) {
    if (groupKryoNanos < 0) {
      groupKryoNanos = StepTimes.kryoNanos(r, GroupResult.class);
    }
    return groupKryoNanos;
  }

  /** How long a ring task waits for its neighbour ({@link RingAllReduce#TIMEOUT_KEY}). */
  int ringTimeoutMillis() {
    return ringTimeoutMillis;
  }

  /** The top-level name scopes of a stage graph, in graph order: how the UI names its work. */
  private static List<String> scopes(Graph g) {
    Set<String> out = new LinkedHashSet<>();
    for (Node n : g.nodes()) {
      int slash = n.name().indexOf('/');
      if (slash > 0 && !n.name().startsWith(".")) {
        out.add(n.name().substring(0, slash));
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * A failed job as an error that names what failed inside the task (a node, a feed): Spark's
   * message carries the task's exception as text, also from a cluster's executors.
   */
  static AnygraphException failure(long step, Exception e) {
    String msg = String.valueOf(e.getMessage());
    int at = msg.indexOf("io.anygraph.");
    String what = (at >= 0 ? msg.substring(at) : msg).lines().findFirst().orElse(msg);
    return new AnygraphException("Spark job of step " + step + " failed: " + what, e);
  }
}
