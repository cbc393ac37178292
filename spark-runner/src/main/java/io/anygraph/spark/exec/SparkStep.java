package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Tensor;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.Shards;
import io.anygraph.local.plan.StageRunner;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The driver side of one plan on Spark: the worker stage runs as one job, a task per partition
 * inside {@code mapPartitionsWithIndex}, its boundaries aggregated with {@code treeAggregate}
 * (partial sums with their row counts, so the result is the single-machine one), then the
 * driver stage runs here on the aggregates, applying the updates once.
 */
final class SparkStep {
  private final Plan plan;
  private final WorkerStage stage;
  private final Broadcast<WorkerStage> shipped;
  private final StageRunner driver;
  private final String description;
  private long resultKryoNanos = -1;

  SparkStep(JavaSparkContext sc, Plan plan, Map<String, String> columns) {
    this.plan = plan;
    this.stage = WorkerStage.of(plan, columns);
    this.shipped = sc.broadcast(stage);
    this.driver = new StageRunner(plan.driver());
    this.description = String.join(", ", plan.fetches()) + ": worker stage ("
        + String.join(", ", scopes(plan.worker().graph())) + "; " + plan.worker().graph().size()
        + " nodes), " + plan.boundaries().size() + " aggregates";
  }

  Plan plan() {
    return plan;
  }

  /**
   * One run: the worker job over {@code data}'s blocks (rows chosen by {@code rows}) or over the
   * sharded arrays in {@code feeds}, then the driver stage. {@code times} gets the breakdown.
   */
  List<INDArray> run(JavaSparkContext sc, Map<Tensor, INDArray> feeds, ShardedData data,
      StepRows rows, Broadcast<VariableSnapshot> vars, long step, RunState state,
      LogicalDevices devices, StepTimes times) {
    Map<String, INDArray> byName = new HashMap<>();
    feeds.forEach((t, v) -> byName.put(plan.feedNames().get(t.name()), v));
    Map<String, INDArray> replicated = new HashMap<>();
    for (String f : stage.feeds()) {
      if (!stage.shardAxes().containsKey(f) && byName.containsKey(f)) {
        replicated.put(f, byName.get(f)); // feeds every shard reads whole
      }
    }
    long globalBatch;
    JavaRDD<StepResult> tasks;
    sc.setJobDescription("step " + step + " — " + description);
    sc.setCallSite("anygraph step " + step + " (" + String.join(", ", plan.fetches()) + ")");
    if (data != null) {
      globalBatch = rows.rows();
      long[] offsets = new long[data.partitions() + 1];
      for (int i = 0; i <= data.partitions(); i++) {
        offsets[i] = i < data.partitions() ? data.offset(i) : data.size();
      }
      Broadcast<VariableSnapshot> whole = replicated.isEmpty() ? null
          : sc.broadcast(new VariableSnapshot(step, replicated));
      tasks = data.blocks().mapPartitionsWithIndex(
          new WorkerTasks.BlockTask(shipped, vars, whole, rows, offsets, step), false);
    } else {
      Map<String, INDArray> sharded = new LinkedHashMap<>();
      stage.shardAxes().keySet().forEach(f -> sharded.put(f, byName.get(f)));
      globalBatch = Shards.globalBatch(sharded, stage.shardAxes());
      tasks = sc.parallelize(shards(replicated, sharded, globalBatch, sc.defaultParallelism()),
          sc.defaultParallelism()).mapPartitionsWithIndex(
          new WorkerTasks.ShardTask(shipped, vars, step, globalBatch), false);
    }
    tasks.setName("anygraph worker stage, step " + step);
    long start = System.nanoTime();
    StepResult r;
    try {
      r = tasks.treeAggregate(new StepResult(stage.boundaries().size()), StepResult::combine,
          StepResult::combine, 2);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
      throw failure(step, e);
    } finally {
      sc.setJobDescription(null);
      sc.clearCallSite();
    }
    long wall = System.nanoTime() - start;
    if (resultKryoNanos < 0) {
      resultKryoNanos = StepTimes.kryoNanos(r); // measured once: every step's result has one size
    }
    times.worker(wall, r.maxComputeNanos, r.maxDeserializeNanos, resultKryoNanos);
    if (r.rows() != globalBatch) {
      throw new AnygraphException("Step " + step + ": the tasks computed " + r.rows()
          + " rows of a batch of " + globalBatch);
    }
    if (plan.globalBatch() != null) {
      byName.put(plan.globalBatch(), Nd4j.scalar(globalBatch));
    }
    for (int i = 0; i < stage.boundaries().size(); i++) {
      byName.put(plan.boundaries().get(i).driverTensor(), r.value(i, stage.boundaries().get(i)));
    }
    long driverStart = System.nanoTime();
    List<INDArray> out = driver.run(byName, state, devices);
    times.driver(System.nanoTime() - driverStart);
    return out;
  }

  /** The top-level name scopes of a stage graph, in graph order: how the UI names its work. */
  private static List<String> scopes(io.anygraph.core.Graph g) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (io.anygraph.core.Node n : g.nodes()) {
      int slash = n.name().indexOf('/');
      if (slash > 0 && !n.name().startsWith(".")) {
        out.add(n.name().substring(0, slash));
      }
    }
    return new ArrayList<>(out);
  }

  /** Contiguous shards of driver-side arrays, one per partition, with their batch positions. */
  private static List<ShardFeed> shards(Map<String, INDArray> replicated, Map<String, INDArray> sharded,
      long rows, int parts) {
    long[] sizes = Shards.sizes(rows, parts);
    List<ShardFeed> out = new ArrayList<>();
    long from = 0;
    for (int p = 0; p < parts; p++) {
      Map<String, INDArray> mine = new HashMap<>();
      int[] positions = new int[(int) sizes[p]];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = (int) from + i;
      }
      if (sizes[p] > 0) {
        for (var e : sharded.entrySet()) {
          mine.put(e.getKey(), Shards.slice(e.getValue(), 0, from, sizes[p]));
        }
        mine.putAll(replicated);
      }
      out.add(new ShardFeed(p, positions, mine));
      from += sizes[p];
    }
    return out;
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
