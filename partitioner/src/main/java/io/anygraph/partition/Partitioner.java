package io.anygraph.partition;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.device.DeviceGraph;
import io.anygraph.partition.device.DevicePartitioner;
import io.anygraph.partition.placement.Placement;
import io.anygraph.partition.placement.Placer;
import io.anygraph.partition.sharding.ShardedGraph;
import io.anygraph.partition.sharding.ShardingPropagation;
import io.anygraph.partition.sharding.Side;
import io.anygraph.partition.stage.StageGraphs;
import io.anygraph.partition.stage.StageSplitter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one graph into a {@link Plan}, by passes that each read a graph and write one: sharding
 * propagation (which values are split, where boundaries go), stage splitting (worker and driver
 * graphs), placement (a device per node) and device partitioning (a graph per device with send/recv
 * pairs).
 *
 * <pre>{@code
 * Plan plan = Partitioner.plan(List.of(train, loss), Set.of(images, labels), Cluster.cpus(2), true);
 * System.out.println(plan.explain());
 * }</pre>
 */
public final class Partitioner {
  private Partitioner() {}

  /**
   * A plan with as many sharded worker stages as the graph needs.
   *
   * @param dataParallel split placeholders marked {@code sharded} across the cluster's replicas (or
   *     a runner's tasks); false plans the step as on one device, devices aside
   */
  public static Plan plan(
      List<Tensor> fetches, Collection<Tensor> fed, Cluster cluster, boolean dataParallel) {
    return plan(fetches, fed, cluster, dataParallel, Integer.MAX_VALUE);
  }

  /**
   * A plan with at most {@code maxWorkerStages} sharded worker stages: with 1, a node that needs an
   * aggregate of sharded values together with sharded values (batch normalization's {@code x -
   * mean(x, 0)}) gathers them whole and runs on the driver, with everything after it, for runners
   * that run one worker stage per step.
   */
  public static Plan plan(
      List<Tensor> fetches,
      Collection<Tensor> fed,
      Cluster cluster,
      boolean dataParallel,
      int maxWorkerStages) {
    if (fetches.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one fetch");
    }
    Set<Tensor> fedSet = new LinkedHashSet<>(fed);
    ShardedGraph sg = ShardingPropagation.propagate(fetches, fedSet, dataParallel, maxWorkerStages);
    PassDump.after(
        "sharding",
        sg.graph(),
        n ->
            n.outputs().isEmpty()
                ? ""
                : sg.sharding(sg.graph().output(n, 0))
                    + " "
                    + sg.side(n)
                    + (sg.side(n) == Side.WORKER && sg.level(n) > 0 ? " " + sg.level(n) : ""));
    StageGraphs sgs = StageSplitter.split(sg);
    List<Stage> workers = new ArrayList<>();
    for (int k = 0; k < sgs.workers().size(); k++) {
      Graph w = sgs.workers().get(k);
      String which = sgs.workers().size() == 1 ? "" : " " + (k + 1);
      PassDump.after("stages (worker" + which + ")", w, n -> "");
      workers.add(
          Stage.onOneDevice(
              Stage.Kind.WORKER,
              w,
              sgs.workerOutputs().get(k),
              placeholders(w),
              Plan.REPLICA_DEVICE));
    }
    PassDump.after("stages (driver)", sgs.driver(), n -> "");
    Graph d = sgs.driver();
    List<String> driverFeeds = placeholders(d);
    Placement placement = Placer.place(d, cluster);
    PassDump.after("placement", d, n -> "-> " + placement.device(n));
    Set<Tensor> driverFed = new LinkedHashSet<>();
    driverFeeds.forEach(f -> driverFed.add(d.tensor(f)));
    List<DeviceGraph> devices =
        DevicePartitioner.partition(d, sgs.driverFetches(), driverFed, placement);
    devices.forEach(
        dg -> PassDump.after("device partitioning (" + dg.device() + ")", dg.graph(), n -> ""));
    Stage driver =
        new Stage(
            Stage.Kind.DRIVER, d, sgs.driverFetches(), driverFeeds, Map.of(), placement, devices);
    List<String> fetchNames = fetches.stream().map(Tensor::name).toList();
    return new Plan(
        fetchNames,
        workers,
        sgs.boundaries(),
        sgs.carries(),
        driver,
        sg.feedNames(),
        sg.globalBatch(),
        cluster);
  }

  /** The placeholders of a stage graph: every one must be fed (Schedule checked they are). */
  private static List<String> placeholders(Graph g) {
    List<String> out = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (n.op().equals(OpNames.PLACEHOLDER)) {
        out.add(Tensor.name(n.name(), 0));
      }
    }
    return out;
  }
}
