package io.anygraph.local.plan;

import io.anygraph.core.Tensor;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a {@link Plan} in this JVM: the worker stage once per shard, each on its replica's device
 * thread, the boundaries aggregated in process, then the driver stage. With one shard per
 * logical device this is data-parallel training on one machine; the result equals the
 * single-device run up to float rounding.
 */
public final class PlanExecutor {
  private final Plan plan;
  private final StageRunner worker;
  private final StageRunner driver;
  /** Worker placeholders split across shards, with their axes. */
  private final Map<String, Integer> shardAxes = new LinkedHashMap<>();

  public PlanExecutor(Plan plan) {
    this.plan = plan;
    this.worker = plan.worker() == null ? null : new StageRunner(plan.worker());
    this.driver = new StageRunner(plan.driver());
    if (worker != null) {
      shardAxes.putAll(plan.worker().shardAxes());
    }
  }

  public Plan plan() {
    return plan;
  }

  /** The fetches' values, in the plan's fetch order. */
  public List<INDArray> run(Map<Tensor, INDArray> feeds, RunState state, LogicalDevices devices) {
    Map<String, INDArray> byName = new HashMap<>();
    feeds.forEach((t, v) -> byName.put(plan.feedNames().get(t.name()), v));
    if (worker != null) {
      Map<String, INDArray> sharded = new LinkedHashMap<>();
      shardAxes.keySet().forEach(f -> sharded.put(f, byName.get(f)));
      long rows = Shards.globalBatch(sharded, shardAxes);
      if (plan.globalBatch() != null) {
        byName.put(plan.globalBatch(), Nd4j.scalar(rows));
      }
      aggregate(runShards(byName, sharded, rows, state, devices), byName);
    }
    return driver.run(byName, state, devices);
  }

  /** Each non-empty shard's worker outputs, in shard order. */
  private List<List<INDArray>> runShards(Map<String, INDArray> feeds, Map<String, INDArray> sharded,
      long rows, RunState state, LogicalDevices devices) {
    List<String> replicas = plan.replicas();
    long[] sizes = Shards.sizes(rows, replicas.size());
    List<Future<List<INDArray>>> running = new ArrayList<>();
    long from = 0;
    for (int r = 0; r < replicas.size(); r++) {
      if (sizes[r] == 0 && r > 0) {
        continue; // a batch smaller than the replicas leaves some idle; shard 0 always runs
      }
      Map<String, INDArray> mine = new HashMap<>(feeds);
      for (var e : sharded.entrySet()) {
        mine.put(e.getKey(), Shards.slice(e.getValue(), shardAxes.get(e.getKey()), from, sizes[r]));
      }
      from += sizes[r];
      RunState shardState = state.forShard(r);
      running.add(devices.submit(replicas.get(r), () -> worker.run(mine, shardState, devices)));
    }
    return LogicalDevices.await(running);
  }

  /** Puts each boundary's aggregate into the driver's feeds. */
  private void aggregate(List<List<INDArray>> shards, Map<String, INDArray> feeds) {
    List<String> outputs = plan.worker().outputs();
    for (Boundary b : plan.boundaries()) {
      int i = outputs.indexOf(b.workerTensor());
      List<INDArray> values = shards.stream().map(s -> s.get(i)).toList();
      feeds.put(b.driverTensor(), Combine.inShardOrder(b, values));
    }
  }
}
