package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.Shards;
import io.anygraph.local.plan.WorkerStageTasks;
import io.anygraph.local.state.RunState;
import io.anygraph.spark.exchange.Wire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Spark runner's worker tasks for one run of a step: one job, a task per partition inside
 * {@code mapPartitionsWithIndex} over the bound blocks (or over shards of driver-side arrays), the
 * tasks' values combined in a fixed order ({@link OrderedTree}, with {@link StepResult#merge},
 * which follows {@link io.anygraph.local.plan.Combine}) or, under the ring exchange, by a ring
 * all-reduce in a barrier stage ({@link RingTask}).
 */
final class WorkerJob implements WorkerStageTasks {
  /** How a job brings its tasks' results together into one on the driver. */
  interface Combiner {
    StepResult combine(JavaRDD<StepResult> tasks, int boundaries);
  }

  /** The tree exchange: the tasks' results added in a fixed order ({@link OrderedTree}). */
  static final Combiner TREE = OrderedTree::combine;

  private final SparkStep step;
  private final StepRun run;
  private final Combiner combiner;
  private final Wire wire;

  /** Tasks whose results travel to the driver or a shuffle, as wide as {@code run.wire()} says. */
  WorkerJob(SparkStep step, StepRun run) {
    this(step, run, TREE, run.wire());
  }

  /**
   * Tasks whose results {@code combiner} brings together, sums in float32 (the ring's hops carry
   * float32 and its sums are not rounded).
   */
  WorkerJob(SparkStep step, StepRun run, Combiner combiner) {
    this(step, run, combiner, Wire.FLOAT32);
  }

  private WorkerJob(SparkStep step, StepRun run, Combiner combiner, Wire wire) {
    this.step = step;
    this.run = run;
    this.combiner = combiner;
    this.wire = wire;
  }

  @Override
  public OptionalLong boundBatch() {
    return run.data() == null ? OptionalLong.empty() : OptionalLong.of(run.rows().rows());
  }

  /**
   * The worker stage's tasks over the bound blocks or over shards of the feeds, one per partition.
   *
   * @param params the parameter slices gathered for each worker partition ({@link ParamGather}),
   *     zipped with the tasks' partitions; or null when the broadcast holds every variable
   */
  JavaRDD<StepResult> tasks(Feeds in, JavaPairRDD<Integer, VariableSnapshot> params) {
    JavaSparkContext sc = run.sc();
    WorkerStage stage = step.stage();
    long n = run.step();
    sc.setJobDescription("step " + n + " — " + step.description());
    sc.setCallSite("anygraph step " + n + " (" + String.join(", ", step.plan().fetches()) + ")");
    JavaRDD<StepResult> tasks;
    ShardedData data = run.data();
    if (data != null) {
      long[] offsets = new long[data.partitions() + 1];
      for (int i = 0; i <= data.partitions(); i++) {
        offsets[i] = i < data.partitions() ? data.offset(i) : data.size();
      }
      Broadcast<VariableSnapshot> whole =
          in.whole().isEmpty() ? null : sc.broadcast(new VariableSnapshot(n, in.whole()));
      run.bytes().sent(arrayBytes(in.whole()));
      WorkerTasks.BlockTask task =
          new WorkerTasks.BlockTask(step.shipped(), run.vars(), whole, run.rows(), offsets, n);
      tasks =
          params == null
              ? data.blocks().mapPartitionsWithIndex(task, false)
              : data.blocks()
                  .zipPartitions(params, new WorkerTasks.WithParams<>(task, step.shipped()));
    } else {
      int parts = sc.defaultParallelism();
      List<ShardFeed> shards = shards(in, stage.shardAxes(), parts);
      shards.forEach(s -> run.bytes().sent(arrayBytes(s.feeds())));
      WorkerTasks.ShardTask task =
          new WorkerTasks.ShardTask(step.shipped(), run.vars(), n, in.globalBatch());
      JavaRDD<ShardFeed> feeds = sc.parallelize(shards, parts);
      tasks =
          params == null
              ? feeds.mapPartitionsWithIndex(task, false)
              : feeds.zipPartitions(params, new WorkerTasks.WithParams<>(task, step.shipped()));
    }
    tasks.setName("anygraph worker stage, step " + n);
    if (wire != Wire.FLOAT32) { // pipelined into the same tasks: the sums leave them rounded
      tasks =
          tasks.mapPartitionsWithIndex(
              new ErrorFeedback.Rounding(step.shipped(), wire, run.runnerId(), n), true);
    }
    return tasks;
  }

  @Override
  public List<INDArray> run(Feeds in, RunState state, LogicalDevices devices) {
    JavaSparkContext sc = run.sc();
    WorkerStage stage = step.stage();
    long n = run.step();
    JavaRDD<StepResult> tasks = tasks(in, null);
    long start = System.nanoTime();
    StepResult r;
    try {
      r = combiner.combine(tasks, stage.boundaries().size());
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
      throw SparkStep.failure(n, e);
    } finally {
      sc.setJobDescription(null);
      sc.clearCallSite();
    }
    run.times()
        .worker(
            System.nanoTime() - start,
            r.maxComputeNanos,
            r.maxDeserializeNanos,
            step.resultKryoNanos(r));
    checkRows(n, r.rows(), in.globalBatch());
    run.bytes().received(r.arrayBytes(), 0);
    List<INDArray> values = new ArrayList<>();
    for (int i = 0; i < stage.boundaries().size(); i++) {
      values.add(r.value(i, stage.boundaries().get(i)));
    }
    return values;
  }

  /** The rows the tasks computed must add up to the batch. */
  static void checkRows(long step, long rows, long globalBatch) {
    if (rows != globalBatch) {
      throw new AnygraphException(
          "Step " + step + ": the tasks computed " + rows + " rows of a batch of " + globalBatch);
    }
  }

  @Override
  public void driverStageRan(long nanos) {
    run.times().driver(nanos);
  }

  /** Bytes of array data in {@code arrays}. */
  static long arrayBytes(Map<String, INDArray> arrays) {
    return arrays.values().stream().mapToLong(StepResult::bytes).sum();
  }

  /** Contiguous shards of driver-side arrays, one per partition, with their batch positions. */
  private static List<ShardFeed> shards(Feeds in, Map<String, Integer> axes, int parts) {
    long[] sizes = Shards.sizes(in.globalBatch(), parts);
    List<ShardFeed> out = new ArrayList<>();
    long from = 0;
    for (int p = 0; p < parts; p++) {
      Map<String, INDArray> mine = new HashMap<>();
      int[] positions = new int[(int) sizes[p]];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = (int) from + i;
      }
      if (sizes[p] > 0) {
        for (var e : in.sharded().entrySet()) {
          mine.put(e.getKey(), Shards.slice(e.getValue(), axes.get(e.getKey()), from, sizes[p]));
        }
        mine.putAll(in.whole());
      }
      out.add(new ShardFeed(p, positions, mine));
      from += sizes[p];
    }
    return out;
  }
}
