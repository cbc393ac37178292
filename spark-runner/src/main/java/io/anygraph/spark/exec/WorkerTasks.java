package io.anygraph.spark.exec;

import io.anygraph.core.Feeds;
import io.anygraph.core.Graph;
import io.anygraph.data.Dataset;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.StageRunner;
import io.anygraph.local.state.RunState;
import io.anygraph.spark.gpu.TaskGpu;
import io.anygraph.spark.ship.ExecutorCache;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * The executor side of a step: one task per partition runs the worker stage on its rows, through
 * the local runner. The compiled stage is built once per executor JVM and plan, the variables once
 * per JVM and version of the broadcast; feeds are checked against their placeholders before any
 * kernel runs, so a bad shard fails the job with the placeholder's name.
 */
final class WorkerTasks {
  /** Device threads of this JVM (a worker stage runs on the task's own thread). */
  private static final LogicalDevices DEVICES = new LogicalDevices();

  private WorkerTasks() {}

  /**
   * @param vars the broadcast variables
   * @param params the parameters gathered from the slice owners (sharded exchange), or null when
   *     every variable comes with {@code vars}
   */
  static StepResult run(
      WorkerStage ws,
      Broadcast<VariableSnapshot> vars,
      Map<String, INDArray> params,
      long step,
      int partition,
      Map<String, INDArray> shardFeeds,
      int[] positions,
      long globalBatch) {
    if (positions.length == 0) {
      return new StepResult(ws.boundaries().size());
    }
    NativeThreads.fitToTask();
    TaskGpu.bindCurrentTask(); // the GPU Spark assigned this task, if any
    StageRunner runner =
        ExecutorCache.get("worker-stage", ws.key(), () -> new StageRunner(ws.stage()));
    Graph g = ws.graph().graph();
    // keyed by the application and the broadcast: broadcast ids restart with every Spark context,
    // so a JVM that runs several contexts (tests, notebooks) must not reuse another's values
    RunState state =
        params != null
            ? variables(g, vars.value(), params) // this task's own copy: gathered for it alone
            : ExecutorCache.get(
                "worker-variables",
                ws.key() + "@" + SparkEnv.get().conf().getAppId() + "/broadcast" + vars.id(),
                () -> variables(g, vars.value(), Map.of()));
    Feeds.convert(g, shardFeeds);
    Map<String, INDArray> feeds = new HashMap<>(shardFeeds);
    if (ws.globalBatch() != null) {
      feeds.put(ws.globalBatch(), Nd4j.scalar(globalBatch));
    }
    long start = System.nanoTime();
    List<INDArray> out = runner.run(feeds, state.forShard(partition, step), DEVICES);
    StepResult r =
        StepResult.of(ws.boundaries(), out, partition, positions, System.nanoTime() - start);
    TaskContext task = TaskContext.get();
    r.maxDeserializeNanos =
        task == null ? 0 : task.taskMetrics().executorDeserializeTime() * 1_000_000;
    return r;
  }

  /** A state holding the broadcast and the gathered variable values, read-only for the tasks. */
  private static RunState variables(
      Graph g, VariableSnapshot vars, Map<String, INDArray> gathered) {
    RunState s = new RunState(g);
    vars.values().forEach((name, value) -> s.variables().write(g.node(name), value));
    gathered.forEach((name, value) -> s.variables().write(g.node(name), value));
    return s;
  }

  /** A worker task over partition {@code p}'s input, given the gathered parameters or null. */
  interface PartitionTask<T> extends Serializable {
    Iterator<StepResult> call(int p, Iterator<T> in, Map<String, INDArray> params);
  }

  /**
   * A worker task zipped with its partition of the gathered parameter slices ({@link ParamGather}):
   * the slices joined, then the task run on them.
   */
  record WithParams<T>(PartitionTask<T> task, Broadcast<WorkerStage> stage)
      implements FlatMapFunction2<
          Iterator<T>, Iterator<Tuple2<Integer, VariableSnapshot>>, StepResult> {
    @Override
    public Iterator<StepResult> call(
        Iterator<T> in, Iterator<Tuple2<Integer, VariableSnapshot>> slices) {
      Map<String, INDArray> params = ParamGather.join(slices, stage.value().graph().graph());
      return task.call(TaskContext.getPartitionId(), in, params);
    }
  }

  /** Rows {@code rows} of a block's array, as a contiguous copy shaped [rows, ...]. */
  static INDArray pull(INDArray a, int[] rows) {
    long n = a.size(0);
    long[] shape = a.shape().clone();
    shape[0] = rows.length;
    INDArray flat = a.reshape('c', n, a.length() / Math.max(1, n));
    return Nd4j.pullRows(flat, 1, rows).reshape('c', shape);
  }

  /** The bound placeholders' feeds: rows {@code rows} of the block's columns. */
  static Map<String, INDArray> blockFeeds(WorkerStage ws, Dataset block, int[] rows) {
    Map<String, INDArray> feeds = new HashMap<>();
    ws.columns()
        .forEach((placeholder, column) -> feeds.put(placeholder, pull(block.column(column), rows)));
    return feeds;
  }

  /** A step over bound training blocks: each partition takes the batch's rows it holds. */
  record BlockTask(
      Broadcast<WorkerStage> stage,
      Broadcast<VariableSnapshot> vars,
      Broadcast<VariableSnapshot> replicated,
      StepRows rows,
      long[] offsets,
      long step)
      implements Function2<Integer, Iterator<Dataset>, Iterator<StepResult>>,
          PartitionTask<Dataset> {
    @Override
    public Iterator<StepResult> call(Integer p, Iterator<Dataset> blocks) {
      return call(p.intValue(), blocks, null);
    }

    @Override
    public Iterator<StepResult> call(
        int p, Iterator<Dataset> blocks, Map<String, INDArray> params) {
      WorkerStage ws = stage.value();
      Dataset block = blocks.next();
      int[][] sel = rows.select(offsets[p], offsets[p + 1]);
      Map<String, INDArray> feeds = new HashMap<>();
      if (sel[0].length > 0) {
        feeds.putAll(blockFeeds(ws, block, sel[0]));
        if (replicated != null) {
          feeds.putAll(replicated.value().values());
        }
      }
      return List.of(run(ws, vars, params, step, p, feeds, sel[1], rows.rows())).iterator();
    }
  }

  /** A step over shards of arrays given on the driver. */
  record ShardTask(
      Broadcast<WorkerStage> stage, Broadcast<VariableSnapshot> vars, long step, long globalBatch)
      implements Function2<Integer, Iterator<ShardFeed>, Iterator<StepResult>>,
          PartitionTask<ShardFeed> {
    @Override
    public Iterator<StepResult> call(Integer p, Iterator<ShardFeed> shards) {
      return call(p.intValue(), shards, null);
    }

    @Override
    public Iterator<StepResult> call(
        int p, Iterator<ShardFeed> shards, Map<String, INDArray> params) {
      StepResult r = new StepResult(stage.value().boundaries().size());
      while (shards.hasNext()) {
        ShardFeed s = shards.next();
        r.merge(
            run(
                stage.value(),
                vars,
                params,
                step,
                s.index(),
                s.feeds(),
                s.positions(),
                globalBatch));
      }
      return List.of(r).iterator();
    }
  }
}
