package io.anygraph.spark.exec;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.ops.OpNames;
import io.anygraph.local.state.RunState;
import io.anygraph.spark.exchange.SliceSpec;
import io.anygraph.spark.exchange.Slices;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sharded exchange's state between steps: the last step's slice results, cached on the
 * executors (one partition per slice), which hold the only current values of the parameters and the
 * optimizer state (Adam's m and v, momentum): the next step's worker tasks gather the parameters
 * from them ({@link #params}). The driver's copy of those variables is stale until {@link #sync}
 * gathers the slices back, which the runner does before anything else reads or writes variables: a
 * checkpoint, another step, {@code readVariable}, {@code writeVariable}.
 */
final class SliceHolder {
  /** Lineage is cut this often (checkpointed), so a long run's RDD lineage stays short. */
  static final int CHECKPOINT_EVERY = 50;

  private SparkStep owner;
  private Graph driverGraph;
  private JavaRDD<SliceResult> last;
  private final Set<String> held = new HashSet<>();

  /** Whether variable {@code name}'s current value is on the executors only. */
  synchronized boolean holds(String name) {
    return held.contains(name);
  }

  /**
   * Whether the slices hold the state of steps of {@code s}, so its next step goes on from them.
   */
  synchronized boolean ownedBy(SparkStep s) {
    return last != null && owner == s;
  }

  /**
   * The parameter slices of the last step of {@code s} all-gathered to {@code workers} worker
   * partitions ({@link ParamGather}), or null when the driver's variables are current (first step,
   * or after a sync) and the broadcast carries the parameters.
   */
  synchronized JavaPairRDD<Integer, VariableSnapshot> params(
      SparkStep s, SliceSpec sliceSpec, int workers) {
    return ownedBy(s) ? ParamGather.gathered(last, sliceSpec.params(), workers) : null;
  }

  /**
   * The slices' state for a step of {@code s}: the last step's, or (first step, or after a sync)
   * cut from the driver's variables, whose bytes go to {@code bytes} as sent.
   */
  synchronized JavaRDD<VariableSnapshot> state(
      JavaSparkContext sc, SparkStep s, SliceSpec sliceSpec, RunState driver, DriverBytes bytes) {
    if (owner != s) {
      sync(driver);
    }
    if (last != null) {
      return last.map(SliceResult::nextState);
    }
    Graph g = s.plan().driver().graph();
    List<VariableSnapshot> slices = new ArrayList<>();
    for (int k = 0; k < sliceSpec.slices(); k++) {
      Map<String, INDArray> values = new LinkedHashMap<>();
      for (Node n : g.nodes()) {
        if (n.op().equals(OpNames.VARIABLE)) {
          INDArray v = driver.variables().read(n);
          boolean cut = sliceSpec.sliced().contains(n.name());
          values.put(n.name(), cut ? Slices.of(v, k, sliceSpec.slices()) : v);
        }
      }
      slices.add(new VariableSnapshot(k, values));
      bytes.sent(WorkerJob.arrayBytes(values));
    }
    // one broadcast per slice, the partitions carrying only their index: every later step's
    // tasks name these partitions in their lineage (zipPartitions serializes its parents'
    // partitions), and data given to parallelize would travel with each of them
    List<Broadcast<VariableSnapshot>> cut = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    for (VariableSnapshot slice : slices) {
      indices.add(cut.size());
      cut.add(sc.broadcast(slice));
    }
    return sc.parallelize(indices, indices.size()).map(k -> cut.get(k).value());
  }

  /**
   * Marks step {@code n}'s results, before their job, to stay cached on the executors; every {@link
   * #CHECKPOINT_EVERY} steps also checkpointed (reliably when the context has a checkpoint
   * directory, else locally), cutting the lineage.
   */
  static void keep(JavaRDD<SliceResult> results, long n) {
    results.persist(StorageLevel.MEMORY_AND_DISK());
    if (n % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1) {
      if (results.context().getCheckpointDir().isDefined()) {
        results.checkpoint();
      } else {
        results.rdd().localCheckpoint();
      }
    }
  }

  /** The computed results of a step of {@code s}: the slices' state from now on. */
  synchronized void stepped(SparkStep s, SliceSpec sliceSpec, JavaRDD<SliceResult> results) {
    if (last != null && last != results) {
      last.unpersist(false);
    }
    owner = s;
    driverGraph = s.plan().driver().graph();
    last = results;
    held.clear();
    for (String v : sliceSpec.sliced()) {
      if (driverGraph.node(v).op().equals(OpNames.VARIABLE)) {
        held.add(v); // parameters and optimizer state: only the owners have their new values
      }
    }
  }

  /**
   * Gathers the held variables' slices into the driver's state (a job) and forgets the slices: the
   * driver holds every variable whole again.
   *
   * @return whether the driver's variables changed
   */
  synchronized boolean sync(RunState driver) {
    if (last == null) {
      return false;
    }
    boolean changed = !held.isEmpty();
    if (!held.isEmpty()) {
      Set<String> names = Set.copyOf(held);
      List<VariableSnapshot> states =
          last.map(r -> new VariableSnapshot(r.slice(), only(r.state(), names))).collect();
      List<VariableSnapshot> ordered = new ArrayList<>(states);
      ordered.sort((a, b) -> Long.compare(a.version(), b.version()));
      for (String name : names) {
        Node n = driverGraph.node(name);
        List<INDArray> parts = ordered.stream().map(s -> s.values().get(name)).toList();
        driver.variables().write(n, Slices.join(parts, n.output(0).shape().dims()));
      }
    }
    last.unpersist(false);
    last = null;
    owner = null;
    held.clear();
    return changed;
  }

  private static Map<String, INDArray> only(Map<String, INDArray> all, Set<String> names) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    names.forEach(n -> out.put(n, all.get(n)));
    return out;
  }
}
