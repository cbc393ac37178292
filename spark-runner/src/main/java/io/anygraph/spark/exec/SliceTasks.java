package io.anygraph.spark.exec;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.ops.OpNames;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.StageRunner;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Stage;
import io.anygraph.spark.exchange.SliceSpec;
import io.anygraph.spark.ship.ExecutorCache;
import io.anygraph.spark.ship.ShippedGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

/**
 * The executor side of the sharded exchange. Each worker task's result is cut into one piece per
 * parameter slice ({@link Scatter}), keyed {@code slice * tasks + task}; {@link ByOwner} sends
 * every piece of slice {@code k} to partition {@code k}; there {@link Update} sums the pieces in
 * ascending task order (a fixed order: the same partitioning gives bit-identical sums from run to
 * run) and applies the driver stage to the slice, on the slice's state from the previous step.
 */
final class SliceTasks {
  private static final LogicalDevices DEVICES = new LogicalDevices();

  private SliceTasks() {}

  /** A worker task's result as one piece per slice, keyed {@code slice * tasks + task}. */
  record Scatter(boolean[] cut, int slices, int tasks)
      implements PairFlatMapFunction<Iterator<StepResult>, Integer, StepResult> {
    @Override
    public Iterator<Tuple2<Integer, StepResult>> call(Iterator<StepResult> results) {
      int task = TaskContext.getPartitionId();
      StepResult r = null;
      while (results.hasNext()) {
        r = r == null ? results.next() : r.merge(results.next());
      }
      List<Tuple2<Integer, StepResult>> out = new ArrayList<>();
      for (int k = 0; r != null && k < slices; k++) {
        out.add(new Tuple2<>(k * tasks + task, r.slice(k, slices, cut)));
      }
      return out.iterator();
    }
  }

  /** Every piece of slice {@code k} to partition {@code k}: key / tasks. */
  static final class ByOwner extends Partitioner {
    private final int slices;
    private final int tasks;

    ByOwner(int slices, int tasks) {
      this.slices = slices;
      this.tasks = tasks;
    }

    @Override
    public int numPartitions() {
      return slices;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key / tasks;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByOwner b && b.slices == slices && b.tasks == tasks;
    }

    @Override
    public int hashCode() {
      return slices * 31 + tasks;
    }
  }

  /**
   * One slice owner's step: the pieces summed in task order, the driver stage's slice graph run on
   * them and on the slice's state, the new state kept with the result.
   */
  record Update(
      Broadcast<ShippedGraph> driver,
      SliceSpec spec,
      List<String> boundaryTensors,
      Broadcast<WorkerStage> stage,
      Broadcast<VariableSnapshot> feeds)
      implements FlatMapFunction2<
          Iterator<VariableSnapshot>, Iterator<Tuple2<Integer, StepResult>>, SliceResult> {
    @Override
    public Iterator<SliceResult> call(
        Iterator<VariableSnapshot> states, Iterator<Tuple2<Integer, StepResult>> pieces) {
      int k = TaskContext.getPartitionId();
      VariableSnapshot state = states.next();
      List<Tuple2<Integer, StepResult>> sorted = new ArrayList<>();
      pieces.forEachRemaining(sorted::add);
      sorted.sort(Comparator.comparing(Tuple2::_1));
      List<WorkerStage.Aggregation> boundaries = stage.value().boundaries();
      StepResult sum = new StepResult(boundaries.size());
      for (Tuple2<Integer, StepResult> p : sorted) {
        sum.merge(p._2()); // ascending task index: the documented summation order
      }
      NativeThreads.fitToTask();
      String key = driver.value().sha256() + "|" + spec + "|" + k;
      Graph g =
          ExecutorCache.get("slice-graph", key, () -> spec.sliceGraph(driver.value().graph(), k));
      StageRunner runner =
          ExecutorCache.get(
              "slice-stage",
              key,
              () ->
                  new StageRunner(
                      Stage.onOneDevice(
                          Stage.Kind.DRIVER, g, spec.outputs(), spec.feeds(), "cpu:0")));
      Map<String, INDArray> in = new HashMap<>(feeds.value().values());
      for (int i = 0; i < boundaries.size(); i++) {
        in.put(boundaryTensors.get(i), sum.value(i, boundaries.get(i)));
      }
      RunState rs = new RunState(g);
      state.values().forEach((name, v) -> rs.variables().write(g.node(name), v.dup()));
      long start = System.nanoTime();
      List<INDArray> out = runner.run(in, rs, DEVICES);
      long nanos = sum.maxComputeNanos + System.nanoTime() - start; // slowest task, then update
      // scalars are alike in every slice: only slice 0 sends them to the driver
      Map<String, INDArray> outputs = new LinkedHashMap<>();
      for (int i = 0; i < out.size(); i++) {
        if (k == 0 || spec.isSliced(spec.outputs().get(i))) {
          outputs.put(spec.outputs().get(i), out.get(i));
        }
      }
      Map<String, INDArray> next = new LinkedHashMap<>();
      for (Node n : g.nodes()) {
        if (n.op().equals(OpNames.VARIABLE)) {
          next.put(n.name(), rs.variables().read(n));
        }
      }
      Map<String, INDArray> toDriver = new LinkedHashMap<>();
      for (String name : k == 0 ? spec.toDriver() : List.<String>of()) {
        toDriver.put(name, next.get(name)); // scalars, alike in every slice
      }
      return List.of(new SliceResult(k, sum.rows(), nanos, outputs, toDriver, next)).iterator();
    }
  }
}
