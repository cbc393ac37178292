package io.anygraph.local.plan;

import io.anygraph.local.state.RunState;
import io.anygraph.partition.Plan;
import io.anygraph.partition.Stage;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.partition.stage.Carry;
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
 * data-parallel training on one machine. A plan of several worker stages runs them in turn: each
 * shard keeps its own values that later stages read, and the boundaries of a stage are combined in
 * shard order before the next stage starts, so every shard reads the same aggregates.
 */
final class ShardThreads implements WorkerStageTasks {
  private final Plan plan;
  private final List<StageRunner> stages = new ArrayList<>();

  ShardThreads(Plan plan) {
    this.plan = plan;
    for (Stage w : plan.workers()) {
      stages.add(new StageRunner(w));
    }
  }

  @Override
  public List<INDArray> run(Feeds in, RunState state, LogicalDevices devices) {
    List<String> replicas = plan.replicas();
    Map<String, Integer> axes = PlanExecutor.shardAxes(plan);
    long[] sizes = Shards.sizes(in.globalBatch(), replicas.size());
    INDArray batch = plan.globalBatch() == null ? null : Nd4j.scalar(in.globalBatch());
    List<Integer> shards = new ArrayList<>();
    List<Map<String, INDArray>> feeds = new ArrayList<>();
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
      shards.add(r);
      feeds.add(mine);
    }
    Map<String, INDArray> combined = new HashMap<>(); // boundary placeholder → aggregated value
    List<List<List<INDArray>>> kept = new ArrayList<>(); // stage → shard → outputs
    for (int k = 0; k < stages.size(); k++) {
      List<Future<List<INDArray>>> running = new ArrayList<>();
      for (int i = 0; i < shards.size(); i++) {
        Map<String, INDArray> mine = new HashMap<>(feeds.get(i));
        mine.putAll(combined);
        for (Carry c : plan.carries()) {
          if (c.toStage() == k) {
            List<String> outs = plan.workers().get(c.fromStage()).outputs();
            mine.put(c.placeholder(), kept.get(c.fromStage()).get(i).get(outs.indexOf(c.tensor())));
          }
        }
        RunState shardState = state.forShard(shards.get(i));
        StageRunner stage = stages.get(k);
        running.add(
            devices.submit(
                replicas.get(shards.get(i)), () -> stage.run(mine, shardState, devices)));
      }
      List<List<INDArray>> values = LogicalDevices.await(running);
      kept.add(values);
      List<String> outputs = plan.workers().get(k).outputs();
      for (Boundary b : plan.boundaries()) {
        if (b.stage() == k) {
          int at = outputs.indexOf(b.workerTensor());
          combined.put(
              b.driverTensor(),
              Combine.inShardOrder(b, values.stream().map(s -> s.get(at)).toList()));
        }
      }
    }
    return plan.boundaries().stream().map(b -> combined.get(b.driverTensor())).toList();
  }
}
