package io.anygraph.spark.exec;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.ops.OpNames;
import io.anygraph.local.state.RunState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The broadcasts of the variables each Spark step's workers read, renewed once per version of the
 * driver's variables: a step whose variables did not change since its last job ships nothing.
 */
final class VariableBroadcasts implements AutoCloseable {
  private final JavaSparkContext sc;
  private final Graph graph;
  private final RunState state;
  private final SliceHolder slices;
  private final DriverBytes bytes;
  private final StepTimes times;
  private final Map<SparkStep, Broadcast<VariableSnapshot>> current = new HashMap<>();
  private long count;

  VariableBroadcasts(
      JavaSparkContext sc,
      Graph graph,
      RunState state,
      SliceHolder slices,
      DriverBytes bytes,
      StepTimes times) {
    this.sc = sc;
    this.graph = graph;
    this.state = state;
    this.slices = slices;
    this.bytes = bytes;
    this.times = times;
  }

  /**
   * {@code s}'s broadcast of the variables at {@code version}; without the parameters the slices
   * hold (the workers gather those from the slice owners).
   */
  Broadcast<VariableSnapshot> of(SparkStep s, long version) {
    Broadcast<VariableSnapshot> b = current.get(s);
    if (b != null && b.value().version() == version) {
      return b;
    }
    long start = System.nanoTime();
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Node n : s.plan().worker().graph().nodes()) {
      if (n.op().equals(OpNames.VARIABLE) && !slices.holds(n.name())) {
        values.put(n.name(), state.variables().read(graph.node(n.name())));
      }
    }
    bytes.sent(WorkerJob.arrayBytes(values));
    if (b != null && s.slices() == null) {
      b.destroy();
    } else if (b != null) { // sharded: a lost slice's lineage reruns older steps' worker tasks
      b.unpersist(false); // the executors' copies go; the driver's stay, to serve a recompute
    }
    b = sc.broadcast(new VariableSnapshot(version, values));
    current.put(s, b);
    count++;
    times.broadcast(System.nanoTime() - start);
    return b;
  }

  /** How many broadcasts were made: once per change that a worker stage needed. */
  long count() {
    return count;
  }

  @Override
  public void close() {
    current.values().forEach(Broadcast::destroy);
    current.clear();
  }
}
