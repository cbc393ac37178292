package io.anygraph.partition.sharding;

import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpDef;
import io.anygraph.core.ops.OpNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which worker stage computes each node of the sharding pass (its level), the one rule that ends a
 * worker stage: a value of stage k that is all-reduced is ready from stage k + 1, so a node that
 * combines sharded values with all-reduced aggregates of sharded values (batch normalization's
 * {@code x - mean(x, 0)}) stays sharded in the stage after its latest aggregate, instead of
 * gathering its inputs to the driver. Driver values that are pure functions of all-reduced ones
 * (the mean, {@code 1 / sqrt(var + eps)}) get the first stage that can compute them too.
 */
final class StageLevels {
  private final Map<Node, Side> sides;
  private final int maxWorkerStages;
  private final Map<Node, Integer> levels = new HashMap<>();

  /**
   * @param sides the pass's sides, read as they grow
   * @param maxWorkerStages at most this many worker stages: a node that would need one more gets no
   *     level and is gathered to the driver
   */
  StageLevels(Map<Node, Side> sides, int maxWorkerStages) {
    this.sides = sides;
    this.maxWorkerStages = maxWorkerStages;
  }

  /** A split placeholder: read in the first stage. */
  void feed(Node placeholder) {
    levels.put(placeholder, 0);
  }

  /** The sum of a stage's partials: ready from the next stage, if the plan may have one. */
  void allReduced(Node allReduce, Node partial) {
    int ready = levels.getOrDefault(partial, 0) + 1;
    if (ready < maxWorkerStages) {
      levels.put(allReduce, ready);
    }
  }

  /** Records the level of a node the pass emitted, with its final side and inputs. */
  void record(
      Node node,
      Side side,
      int level,
      List<Tensor> inputs,
      List<Node> controls,
      OpDef def,
      String op) {
    if (side == Side.WORKER) {
      levels.put(node, level);
    } else if (side == Side.DRIVER) {
      int from = synced(inputs, controls, def, op, false);
      if (from >= 0) {
        levels.put(node, from); // a pure function of all-reduced values: later workers may use it
      }
    }
  }

  /** Every level recorded. */
  Map<Node, Integer> all() {
    return Map.copyOf(levels);
  }

  /** The latest stage among a worker node's inputs and control inputs. */
  int latest(List<Tensor> inputs, List<Node> controls) {
    int level = 0;
    for (Tensor t : inputs) {
      level = Math.max(level, levels.getOrDefault(t.node(), 0));
    }
    for (Node c : controls) {
      level = Math.max(level, levels.getOrDefault(c, 0));
    }
    return level;
  }

  /**
   * The worker stage that can compute a node from its inputs, or -1 when none can: the latest stage
   * of its worker inputs and of the all-reduced aggregates it reads, within {@code
   * maxWorkerStages}. A stateful node, a group, or one that reads a value only the driver has (a
   * gathered one, a variable's new value) has none; nor, when {@code sharded} is asked for, one
   * that reads no worker value.
   */
  int synced(List<Tensor> inputs, List<Node> controls, OpDef def, String op, boolean sharded) {
    if (def.stateful() || def.refInputs() > 0 || op.equals(OpNames.GROUP)) {
      return -1;
    }
    int level = 0;
    boolean worker = false;
    List<Node> deps = new ArrayList<>(controls);
    inputs.forEach(t -> deps.add(t.node()));
    for (Node d : deps) {
      Side s = sides.getOrDefault(d, Side.ANY);
      if (s == Side.ANY) {
        continue;
      }
      worker |= s == Side.WORKER;
      Integer l = levels.get(d);
      if (l == null) {
        return -1;
      }
      level = Math.max(level, l);
    }
    return level < maxWorkerStages && (worker || !sharded) ? level : -1;
  }

  /**
   * When a rule needs partial inputs whole and so gathers its sharded inputs with them (the
   * gradient of a batch mean, broadcast(Σ dy) like x), the rule again with the partials taken as
   * all-reduced, if the sharded inputs then stay split ({@code reduced} marks the partials); null
   * otherwise. {@link #synced} then puts the node in a later worker stage.
   */
  static RuleContext withPartialsReduced(RuleContext rc, List<Sharding> in, boolean[] reduced) {
    boolean partialWhole = false;
    boolean shardedWhole = false;
    List<Sharding> pre = new ArrayList<>(in);
    for (int i = 0; i < in.size(); i++) {
      partialWhole |= rc.needsWhole(i) && in.get(i).isPartial();
      shardedWhole |= rc.needsWhole(i) && in.get(i).isSharded();
      if (rc.needsWhole(i) && in.get(i).isPartial()) {
        pre.set(i, Sharding.REPLICATED);
      }
    }
    if (!partialWhole || !shardedWhole) {
      return null;
    }
    RuleContext retry = rc.withInputs(pre);
    ShardingRules.get(rc.op()).apply(retry);
    for (int i = 0; i < in.size(); i++) {
      if (retry.needsWhole(i) && in.get(i).isSharded()) {
        return null;
      }
    }
    for (int i = 0; i < in.size(); i++) {
      reduced[i] = in.get(i).isPartial() && pre.get(i).isReplicated();
    }
    return rc.withInputs(pre);
  }
}
