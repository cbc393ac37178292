package io.anygraph.spark.exec;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.ops.OpNames;
import io.anygraph.data.Dataset;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.StageRunner;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Stage;
import io.anygraph.spark.gpu.TaskGpu;
import io.anygraph.spark.ring.RingAllReduce;
import io.anygraph.spark.ring.RingRendezvous;
import io.anygraph.spark.ship.ExecutorCache;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of a group of steps, in a barrier stage over the bound blocks: for each of {@code count}
 * consecutive steps it picks its block's rows of the step's batch ({@link StepRows}), runs the
 * worker stage, all-reduces the partial sums with the other tasks over the ring (every task ends
 * with the same bits), and applies the driver stage (the optimizer) to its own copy of the
 * variables, as Horovod does: every task holds the same variables after every step, so the next
 * step needs nothing from the driver. Task 0 returns each step's fetches and the final variables.
 *
 * @param first the group's first step (seed, batch, step, dataset size)
 * @param offsets each block's first example, then the dataset's size
 * @param firstRun the runner's worker-run number of the first step (seeds the random streams, as
 *     for separate steps)
 */
record GroupTask(
    GroupStage stage,
    Broadcast<VariableSnapshot> vars,
    StepRows first,
    int count,
    long[] offsets,
    long firstRun,
    String rendezvous,
    int timeoutMillis)
    implements Serializable {

  /** Device threads of this JVM (the stages run on the task's own thread). */
  private static final LogicalDevices DEVICES = new LogicalDevices();

  /** The barrier stage's function: the task's block in, its one {@link GroupResult} out. */
  static final class Run extends AbstractFunction1<Iterator<Dataset>, Iterator<GroupResult>>
      implements Serializable {
    private final GroupTask task;

    Run(GroupTask task) {
      this.task = task;
    }

    @Override
    public Iterator<GroupResult> apply(Iterator<Dataset> blocks) {
      return CollectionConverters.asScala(List.of(task.run(blocks.next())).iterator());
    }
  }

  GroupResult run(Dataset block) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    int p = ctx.partitionId();
    NativeThreads.fitToTask();
    TaskGpu.bindCurrentTask();
    WorkerStage ws = stage.worker().value();
    StageRunner worker =
        ExecutorCache.get("worker-stage", ws.key(), () -> new StageRunner(ws.stage()));
    Graph driverGraph = stage.driver().value().graph();
    StageRunner driver =
        ExecutorCache.get(
            "group-driver-stage",
            stage.driver().value().sha256() + "|" + stage.driverOutputs(),
            () ->
                new StageRunner(
                    Stage.onOneDevice(
                        Stage.Kind.DRIVER,
                        driverGraph,
                        stage.driverOutputs(),
                        stage.driverFeeds(),
                        "cpu:0")));
    // one store for both stages (variables are keyed by name): the driver stage's updates are the
    // next step's worker variables; write() keeps the broadcast's arrays from changing in place
    Graph workerGraph = ws.graph().graph();
    RunState state = new RunState(workerGraph);
    Map<String, Node> variables = variableNodes(workerGraph, driverGraph);
    vars.value().values().forEach((name, v) -> state.variables().write(variables.get(name), v));
    long[] compute = new long[count];
    long[] ring = new long[count];
    List<Map<String, INDArray>> fetches = new ArrayList<>();
    String executor = ctx.getTaskInfos()[p].address();
    String host = executor.substring(0, executor.lastIndexOf(':'));
    try (RingAllReduce r = RingAllReduce.open(host, timeoutMillis)) {
      r.connect(
          RingRendezvous.join(rendezvous, p, ctx.numPartitions(), r.address(), timeoutMillis), p);
      for (int s = 0; s < count; s++) {
        StepRows rows = new StepRows(first.seed(), first.batch(), first.step() + s, first.size());
        long start = System.nanoTime();
        StepResult mine =
            workerStage(ws, worker, state, block, rows.select(offsets[p], offsets[p + 1]), rows, p);
        long workerNanos = System.nanoTime() - start;
        float[] buffer = stage.layout().flatten(mine.sums);
        start = System.nanoTime();
        r.allReduce(buffer);
        ring[s] = System.nanoTime() - start;
        start = System.nanoTime();
        List<INDArray> out = driver.run(driverFeeds(buffer, rows), state, DEVICES);
        compute[s] = workerNanos + System.nanoTime() - start;
        if (p == 0) {
          Map<String, INDArray> named = new LinkedHashMap<>();
          for (int i = 0; i < out.size(); i++) {
            // a copy: a later step may update a variable's array in place
            named.put(stage.driverOutputs().get(i), out.get(i).dup('c'));
          }
          fetches.add(named);
        }
      }
    }
    Map<String, INDArray> after = new LinkedHashMap<>();
    for (Node n : p == 0 ? driverGraph.nodes() : List.<Node>of()) {
      if (n.op().equals(OpNames.VARIABLE)) {
        after.put(n.name(), state.variables().read(n));
      }
    }
    long deserialize = ctx.taskMetrics().executorDeserializeTime() * 1_000_000;
    return new GroupResult(p, compute, ring, deserialize, fetches, after);
  }

  /** The task's partial sums of one step (no sums when its block holds none of the rows). */
  private StepResult workerStage(
      WorkerStage ws,
      StageRunner worker,
      RunState state,
      Dataset block,
      int[][] sel,
      StepRows rows,
      int p) {
    if (sel[0].length == 0) {
      return new StepResult(ws.boundaries().size());
    }
    Map<String, INDArray> feeds = WorkerTasks.blockFeeds(ws, block, sel[0]);
    if (ws.globalBatch() != null) {
      feeds.put(ws.globalBatch(), Nd4j.scalar((long) rows.rows()));
    }
    long run = firstRun + rows.step() - first.step(); // the separate steps' random streams
    List<INDArray> out = worker.run(feeds, state.forShard(p, run), DEVICES);
    return StepResult.of(ws.boundaries(), out, p, sel[1], 0);
  }

  /** The driver stage's feeds: the all-reduced boundaries and the step's global batch size. */
  private Map<String, INDArray> driverFeeds(float[] buffer, StepRows rows) {
    INDArray[] sums = stage.layout().unflatten(buffer);
    Map<String, INDArray> in = new HashMap<>();
    for (int i = 0; i < sums.length; i++) {
      in.put(stage.boundaryTensors().get(i), sums[i]);
    }
    if (stage.globalBatch() != null) {
      in.put(stage.globalBatch(), Nd4j.scalar((long) rows.rows()));
    }
    return in;
  }

  /**
   * The variable nodes of both stage graphs by name (the driver stage's include the optimizer's).
   */
  private static Map<String, Node> variableNodes(Graph... graphs) {
    Map<String, Node> out = new HashMap<>();
    for (Graph g : graphs) {
      for (Node n : g.nodes()) {
        if (n.op().equals(OpNames.VARIABLE)) {
          out.putIfAbsent(n.name(), n);
        }
      }
    }
    return out;
  }
}
