package io.anygraph.spark.exec;

import io.anygraph.core.Graph;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.WorkerStageTasks;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.exchange.SliceSpec;
import io.anygraph.spark.exchange.Slices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One run of a step under the sharded exchange, as one Spark job: the previous step's parameter
 * slices all-gathered to the worker partitions by a shuffle ({@link ParamGather}; on the first step
 * the broadcast carries them), the worker tasks (as under {@code tree}), their all-reduce
 * boundaries reduce-scattered by a shuffle into one slice per owner, each owner applying the driver
 * stage to its slice of the parameters ({@link SliceTasks}), and the owners' scalars (the loss,
 * Adam's powers) and fetches collected. The gradients and the parameters never reach the driver;
 * the parameters and the optimizer state stay with their slice ({@link SliceHolder}).
 */
final class ShardedJob implements WorkerStageTasks {
  private final SparkStep step;
  private final StepRun run;
  private final WorkerJob worker;
  private Feeds in;

  ShardedJob(SparkStep step, StepRun run) {
    this.step = step;
    this.run = run;
    this.worker = new WorkerJob(step, run);
  }

  @Override
  public OptionalLong boundBatch() {
    return worker.boundBatch();
  }

  /** Only notes the feeds: the job runs with the driver stage's feeds, in {@link #driverStage}. */
  @Override
  public List<INDArray> run(Feeds feeds, RunState state, LogicalDevices devices) {
    this.in = feeds;
    return Arrays.asList(new INDArray[step.plan().boundaries().size()]);
  }

  @Override
  public boolean runsDriverStage() {
    return true;
  }

  @Override
  public List<INDArray> driverStage(Map<String, INDArray> feeds) {
    Plan plan = step.plan();
    SliceSpec spec = step.slices();
    JavaSparkContext sc = run.sc();
    long n = run.step();
    List<String> tensors = plan.boundaries().stream().map(Boundary::driverTensor).toList();
    boolean[] cut = new boolean[tensors.size()];
    for (int i = 0; i < cut.length; i++) {
      cut[i] = spec.isSliced(tensors.get(i));
    }
    Map<String, INDArray> driverFeeds = new LinkedHashMap<>();
    for (String f : plan.driver().feeds()) {
      if (!tensors.contains(f)) {
        driverFeeds.put(f, feeds.get(f));
      }
    }
    SliceHolder holder = run.slices();
    int workers = run.data() != null ? run.data().partitions() : sc.defaultParallelism();
    JavaPairRDD<Integer, VariableSnapshot> params = holder.params(step, spec, workers);
    JavaRDD<VariableSnapshot> state = holder.state(sc, step, spec, run.state(), run.bytes());
    Broadcast<VariableSnapshot> fed = sc.broadcast(new VariableSnapshot(n, driverFeeds));
    run.bytes().sent(WorkerJob.arrayBytes(driverFeeds));
    long start = System.nanoTime();
    List<SliceResult> results;
    try {
      JavaRDD<StepResult> tasks = worker.tasks(in, params);
      int parts = tasks.getNumPartitions();
      JavaPairRDD<Integer, StepResult> pieces =
          tasks
              .mapPartitionsToPair(new SliceTasks.Scatter(cut, spec.slices(), parts))
              .partitionBy(new SliceTasks.ByOwner(spec.slices(), parts));
      JavaRDD<SliceResult> stepped =
          state.zipPartitions(
              pieces,
              new SliceTasks.Update(step.shippedDriver(), spec, tensors, step.shipped(), fed));
      stepped.setName("anygraph sharded update, step " + n);
      SliceHolder.keep(stepped, n);
      results = new ArrayList<>(stepped.map(SliceResult::forDriver).collect());
      holder.stepped(step, spec, stepped);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
      throw SparkStep.failure(n, e); // the previous step's slices stay: a retry starts from them
    } finally { // the feeds' broadcast stays: the cached results' lineage names it
      sc.setJobDescription(null);
      sc.clearCallSite();
    }
    results.sort(Comparator.comparingInt(SliceResult::slice));
    long wall = System.nanoTime() - start;
    long slowest = results.stream().mapToLong(SliceResult::nanos).max().orElse(0);
    run.times().worker(wall, slowest, 0, 0);
    WorkerJob.checkRows(n, results.get(0).rows(), in.globalBatch());
    run.bytes().received(0, results.stream().mapToLong(SliceResult::arrayBytes).sum());
    Graph g = plan.driver().graph();
    for (String v : spec.toDriver()) { // scalars: the parameters stay with their owners
      run.state().variables().write(g.node(v), results.get(0).toDriver().get(v));
    }
    List<INDArray> out = new ArrayList<>();
    for (String o : spec.outputs()) {
      out.add(joined(spec, results, o, g.tensor(o).type().shape().dims()));
    }
    return out;
  }

  /** An output whole again: its slices joined, or slice 0's copy of a scalar. */
  private static INDArray joined(
      SliceSpec spec, List<SliceResult> results, String name, long[] shape) {
    if (!spec.isSliced(name)) {
      return results.get(0).outputs().get(name);
    }
    List<INDArray> slices = results.stream().map(r -> r.outputs().get(name)).toList();
    return Slices.join(slices, shape);
  }
}
