package io.anygraph.spark.exec;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.ops.OpNames;
import io.anygraph.spark.ring.RingRendezvous;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.reflect.ClassTag$;

/**
 * The driver's side of a group of steps: one Spark job, a barrier stage of one {@link GroupTask}
 * per bound block, that runs {@code count} consecutive training steps. The driver broadcasts every
 * variable both stages read (parameters and optimizer state) once before the group, and takes the
 * variables and each step's fetches back from task 0 after it; nothing passes through the driver in
 * between.
 */
final class GroupJob {
  /**
   * A finished group.
   *
   * @param fetches per step, the driver stage's outputs (the step's fetches) in order
   * @param variables the driver stage's variables after the last step, by name
   */
  record Outcome(List<List<INDArray>> fetches, Map<String, INDArray> variables) {}

  private GroupJob() {}

  /**
   * Runs steps {@code first.step()} to {@code first.step() + count - 1} over {@code run.data()}
   * from the driver's variables in {@code run.state()}; their times go to {@code run.times()}.
   *
   * @param firstRun the worker-run number of the first step (the separate steps' random streams)
   */
  static Outcome run(
      SparkStep step, GroupStage stage, StepRun run, Graph graph, int count, long firstRun) {
    JavaSparkContext sc = run.sc();
    StepRows first = run.rows();
    ShardedData data = run.data();
    long start = System.nanoTime();
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Graph g : List.of(step.plan().worker().graph(), step.plan().driver().graph())) {
      for (Node n : g.nodes()) {
        if (n.op().equals(OpNames.VARIABLE)) {
          values.putIfAbsent(n.name(), run.state().variables().read(graph.node(n.name())));
        }
      }
    }
    Broadcast<VariableSnapshot> vars = sc.broadcast(new VariableSnapshot(firstRun, values));
    run.bytes().sent(WorkerJob.arrayBytes(values));
    run.times().broadcast(System.nanoTime() - start);
    long[] offsets = new long[data.partitions() + 1];
    for (int i = 0; i <= data.partitions(); i++) {
      offsets[i] = i < data.partitions() ? data.offset(i) : data.size();
    }
    int last = first.step() + count - 1;
    sc.setJobDescription("steps " + first.step() + "–" + last + " — " + step.description());
    sc.setCallSite("anygraph steps " + first.step() + "–" + last + " " + step.plan().fetches());
    int timeout = step.ringTimeoutMillis();
    String host = RingRendezvous.driverHost(sc.getConf());
    List<GroupResult> results;
    start = System.nanoTime();
    try (RingRendezvous meet = RingRendezvous.open(host, data.partitions(), timeout)) {
      GroupTask task =
          new GroupTask(stage, vars, first, count, offsets, firstRun, meet.address(), timeout);
      RDD<GroupResult> job =
          data.blocks()
              .rdd()
              .barrier()
              .mapPartitions(
                  new GroupTask.Run(task), false, ClassTag$.MODULE$.apply(GroupResult.class));
      job.setName("anygraph steps " + first.step() + "–" + last + " (barrier, ring all-reduce)");
      results = new ArrayList<>(job.toJavaRDD().collect());
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
      throw SparkStep.failure(first.step(), e);
    } finally {
      sc.setJobDescription(null);
      sc.clearCallSite();
      vars.destroy(); // the next group starts from the variables this one returns
    }
    long wall = System.nanoTime() - start;
    results.sort(Comparator.comparingInt(GroupResult::task));
    long compute = 0;
    long ring = 0;
    long deserialize = 0;
    for (int s = 0; s < count; s++) {
      GroupResult slowest = results.get(0);
      for (GroupResult g : results) {
        slowest = g.computeNanos()[s] > slowest.computeNanos()[s] ? g : slowest;
      }
      compute += slowest.computeNanos()[s];
      // the slowest task's ring time: the others' also holds their wait for it, already in compute
      ring += slowest.ringNanos()[s];
    }
    for (GroupResult g : results) {
      deserialize = Math.max(deserialize, g.deserializeNanos());
    }
    GroupResult zero = results.get(0);
    run.times().group(count, wall, compute, deserialize + step.resultKryoNanos(zero), ring);
    List<List<INDArray>> fetches = new ArrayList<>();
    long bytes = WorkerJob.arrayBytes(zero.variables());
    for (Map<String, INDArray> f : zero.fetches()) {
      fetches.add(stage.driverOutputs().stream().map(f::get).toList());
      bytes += WorkerJob.arrayBytes(f);
    }
    run.bytes().received(0, bytes);
    return new Outcome(fetches, zero.variables());
  }
}
