package io.anygraph.local.plan;

import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The local runner's worker tasks: one shard per replica of the plan, each on its replica's device
 * thread, their values combined in shard order. With one shard per logical device this is
 * data-parallel training on one machine.
 */
final class ShardThreads implements WorkerStageTasks {
  private final Plan plan;
  private final StageRunner worker;

  ShardThreads(Plan plan) {
    this.plan = plan;
    this.worker = new StageRunner(plan.worker());
  }

  @Override
  public List<INDArray> run(Feeds in, RunState state, LogicalDevices devices) {
    List<String> replicas = plan.replicas();
    Map<String, Integer> axes = plan.worker().shardAxes();
    long[] sizes = Shards.sizes(in.globalBatch(), replicas.size());
    INDArray batch = plan.globalBatch() == null ? null : Nd4j.scalar(in.globalBatch());
    List<Future<List<INDArray>>> running = new ArrayList<>();
    long from = 0;
    for (int r = 0; r < replicas.size(); r++) {
      if (sizes[r] == 0 && r > 0) {
        continue; // a batch smaller than the replicas leaves some idle; shard 0 always runs
      }
      Map<String, INDArray> mine = new HashMap<>(in.whole());
      if (batch != null) {
        mine.put(plan.globalBatch(), batch);
      }
      for (var e : in.sharded().entrySet()) {
        mine.put(e.getKey(), Shards.slice(e.getValue(), axes.get(e.getKey()), from, sizes[r]));
      }
      from += sizes[r];
      RunState shardState = state.forShard(r);
      running.add(devices.submit(replicas.get(r), () -> worker.run(mine, shardState, devices)));
    }
    List<List<INDArray>> shards = LogicalDevices.await(running);
    List<String> outputs = plan.worker().outputs();
    List<INDArray> values = new ArrayList<>();
    for (Boundary b : plan.boundaries()) {
      int i = outputs.indexOf(b.workerTensor());
      values.add(Combine.inShardOrder(b, shards.stream().map(s -> s.get(i)).toList()));
    }
    return values;
  }
}
