package io.anygraph.partition.sharding;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import java.util.Map;

/**
 * The result of {@link ShardingPropagation}: a copy of the part of a graph that a run needs, with
 * every value's sharding and side, and the boundaries ({@code allReduce}, {@code allGather}, {@code
 * pickReplica} nodes) where sharded work meets work on whole values.
 *
 * @param graph the rewritten graph (node names as in the source, plus the partitioner's own, which
 *     contain a {@code /.} segment)
 * @param shardings how each tensor of {@code graph} is spread
 * @param sides which stage computes each node of {@code graph}
 * @param levels for a worker node, the index of the worker stage that computes it; for a driver
 *     node that depends on sharded data only through all-reduces (a batch mean), the first worker
 *     stage that may compute it from the all-reduced values (absent: only the driver can)
 * @param fetchNames source fetch name → tensor name in {@code graph}
 * @param feedNames source fed tensor name → placeholder tensor name in {@code graph}
 * @param globalBatch name of the placeholder holding the global batch size, or null when the graph
 *     needs none
 */
public record ShardedGraph(
    Graph graph,
    Map<Tensor, Sharding> shardings,
    Map<Node, Side> sides,
    Map<Node, Integer> levels,
    Map<String, String> fetchNames,
    Map<String, String> feedNames,
    String globalBatch) {

  public Sharding sharding(Tensor t) {
    return shardings.getOrDefault(t, Sharding.REPLICATED);
  }

  public Side side(Node n) {
    return sides.getOrDefault(n, Side.ANY);
  }

  /** Whether any value is computed by sharded workers. */
  public boolean hasWorkerStage() {
    return sides.containsValue(Side.WORKER);
  }

  /**
   * For a worker node, its worker stage's index; for a driver node, the first worker stage that can
   * compute it, or -1 when only the driver can; 0 for any other node.
   */
  public int level(Node n) {
    Integer l = levels.get(n);
    return l != null ? l : side(n) == Side.DRIVER ? -1 : 0;
  }

  /** How many worker stages the step has: one more than the highest worker level, or 0. */
  public int workerStages() {
    int max = -1;
    for (var e : sides.entrySet()) {
      if (e.getValue() == Side.WORKER) {
        max = Math.max(max, level(e.getKey()));
      }
    }
    return max + 1;
  }

  /** Whether a node is a boundary between the worker and the driver stage. */
  public static boolean isBoundary(Node n) {
    return OpNames.COLLECTIVES.contains(n.op());
  }
}
