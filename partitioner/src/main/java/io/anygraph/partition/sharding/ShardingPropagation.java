package io.anygraph.partition.sharding;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.exec.Schedule;
import io.anygraph.core.ops.OpContext;
import io.anygraph.core.ops.OpDef;
import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.partition.common.GraphCopy;
import io.anygraph.partition.common.PlanException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sharding pass: copies what a run needs and decides, node by node in graph order, how each
 * value is spread over the shards of a data-parallel step ({@link ShardingRules}) and which stage
 * computes it ({@link Side}). Where an op needs a whole value it inserts the boundary: {@code
 * allReduce} for a partial, {@code allGather} for a sharded one. Before a node is copied, the
 * op-specific rewrites of {@link ShardingRewrites} may replace it (keeping results exact for shards
 * of any size).
 *
 * <p>A node that combines sharded values with an all-reduced aggregate of sharded values (batch
 * normalization's {@code x - mean(x, 0)}) stays sharded, in a later worker stage: each worker stage
 * ends where such an aggregate is needed, as Spark's stages end at a shuffle ({@link StageLevels}).
 * Every other aggregate a sharded value meets is gathered to the driver.
 */
public final class ShardingPropagation {
  /** The placeholder that runners feed with the global batch size (an int64 scalar). */
  public static final String GLOBAL_BATCH = ".shard/globalBatch";

  private final Graph source;
  private final GraphCopy copy;
  private final boolean shard;
  private final Map<Tensor, Sharding> sharding = new HashMap<>();
  private final Map<Node, Side> sides = new HashMap<>();
  private final StageLevels levels;
  private final Map<Tensor, Tensor> boundaryOf = new HashMap<>();
  private final Map<Tensor, Tensor> boundaryInput = new HashMap<>();
  private final Map<Tensor, Tensor> shapeOf = new HashMap<>();
  private final ShardingRewrites rewrites = new ShardingRewrites(this);
  private Tensor globalBatch;

  /** The graph being copied. */
  Graph source() {
    return source;
  }

  /** The copy being built. */
  GraphCopy copy() {
    return copy;
  }

  private ShardingPropagation(Graph source, boolean shard, int maxWorkerStages) {
    this.source = source;
    this.copy = new GraphCopy(source);
    this.shard = shard;
    this.levels = new StageLevels(sides, maxWorkerStages);
  }

  /** {@link #propagate(List, Set, boolean, int)} with as many worker stages as the graph needs. */
  public static ShardedGraph propagate(List<Tensor> fetches, Set<Tensor> fed, boolean shard) {
    return propagate(fetches, fed, shard, Integer.MAX_VALUE);
  }

  /**
   * @param shard split placeholders marked {@code sharded} (false: every value is whole, as on one
   *     device, and the result has no worker stage)
   * @param maxWorkerStages at most this many sharded stages (at least 1): where one more would be
   *     needed, the sharded values are gathered to the driver instead
   */
  public static ShardedGraph propagate(
      List<Tensor> fetches, Set<Tensor> fed, boolean shard, int maxWorkerStages) {
    if (maxWorkerStages < 1) {
      throw new IllegalArgumentException("maxWorkerStages must be at least 1: " + maxWorkerStages);
    }
    Graph g = fetches.get(0).graph();
    ShardingPropagation p = new ShardingPropagation(g, shard, maxWorkerStages);
    Set<Node> needed = Schedule.needed(fetches, fed);
    Schedule.checkPlaceholders(needed, fetches);
    Map<String, String> feedNames = new LinkedHashMap<>();
    Set<Node> fedNodes = new LinkedHashSet<>();
    for (Tensor t : fed) {
      if (t.index() > 0) {
        throw new PlanException(
            "Feeding output "
                + t.index()
                + " of '"
                + t.node().name()
                + "' is not supported in a multi-device plan: feed a single-output node");
      }
      fedNodes.add(t.node());
      feedNames.put(t.name(), Tensor.name(t.node().name(), 0));
    }
    List<Node> order = new ArrayList<>(needed);
    order.addAll(fedNodes);
    for (Node n : needed) {
      n.inputs().forEach(t -> order.add(t.node())); // the variables that assign ops refer to
    }
    order.sort(Comparator.comparingInt(Node::id));
    for (Node n : new LinkedHashSet<>(order)) {
      if (fedNodes.contains(n)) {
        p.feed(n);
      } else {
        p.visit(n);
      }
    }
    Map<String, String> fetchNames = new LinkedHashMap<>();
    for (Tensor t : fetches) {
      Tensor c = p.copy.get(t);
      if (p.side(c) == Side.WORKER) {
        c = p.boundary(c);
      }
      fetchNames.put(t.name(), c.name());
    }
    return new ShardedGraph(
        p.copy.graph(),
        Map.copyOf(p.sharding),
        Map.copyOf(p.sides),
        p.levels.all(),
        fetchNames,
        feedNames,
        p.globalBatch == null ? null : p.globalBatch.name());
  }

  /** A fed tensor becomes a placeholder; a sharded one takes shards of any size along its axis. */
  private void feed(Node n) {
    Tensor src = source.output(n, 0);
    TensorType type = n.output(0);
    boolean split = shard && n.op().equals(OpNames.PLACEHOLDER) && n.attrs().has(Graph.SHARD_AXIS);
    Attrs extra = Attrs.empty();
    if (split) {
      int axis = (int) n.attrs().getLong(Graph.SHARD_AXIS);
      Shape s = type.shape();
      if (!s.hasRank() || axis >= s.rank()) {
        throw new PlanException(
            "Sharded placeholder '"
                + n.name()
                + "' "
                + type
                + " needs a known rank with axis "
                + axis);
      }
      long[] dims = s.dims();
      dims[axis] = Shape.UNKNOWN;
      type = new TensorType(type.dtype(), Shape.of(dims));
      extra = Attrs.of(Graph.SHARD_AXIS, axis);
    }
    Tensor p = copy.placeholder(src, n.name(), type, extra);
    sharding.put(
        p,
        split ? Sharding.sharded((int) n.attrs().getLong(Graph.SHARD_AXIS)) : Sharding.REPLICATED);
    sides.put(p.node(), split ? Side.WORKER : Side.ANY);
    if (split) {
      levels.feed(p.node());
    }
  }

  private void visit(Node n) {
    List<Tensor> inputs = new ArrayList<>(copy.get(n.inputs()));
    List<Node> controls = new ArrayList<>();
    for (Node c : n.controlInputs()) {
      // emitted nodes are bound by their outputs (bind), not as nodes
      Node copied = copy.node(c);
      if (copied == null && !c.outputs().isEmpty() && copy.has(source.output(c, 0))) {
        copied = copy.get(source.output(c, 0)).node();
      }
      if (copied != null) {
        controls.add(copied);
      }
    }
    if (!shard || inputs.isEmpty() || !rewrites.apply(n, inputs, controls)) {
      bind(n, emit(n.name(), n.op(), inputs, n.attrs(), n.device(), controls));
    }
  }

  /** The global batch size placeholder, made once when a rewrite first needs it. */
  Tensor globalBatch() {
    if (globalBatch == null) {
      Node p =
          copy.graph()
              .insert(
                  GLOBAL_BATCH,
                  OpNames.PLACEHOLDER,
                  List.of(),
                  Attrs.of("dtype", DType.INT64, "shape", Shape.scalar()),
                  "",
                  List.of());
      globalBatch = copy.output(p, 0);
      sharding.put(globalBatch, Sharding.REPLICATED);
      sides.put(p, Side.ANY);
    }
    return globalBatch;
  }

  /**
   * Adds one node: applies its op's sharding rule, puts boundaries before inputs it needs whole,
   * decides its side, and records the sharding of its outputs.
   */
  Node emit(
      String name, String op, List<Tensor> given, Attrs attrs, String device, List<Node> controls) {
    List<Tensor> inputs = new ArrayList<>(given);
    for (int i = 0; i < inputs.size(); i++) {
      if (ShardingRules.isShapeOnly(op, i)) {
        inputs.set(i, shapeSource(inputs.get(i)));
      }
    }
    OpDef def = OpRegistry.get(op);
    List<TensorType> outTypes =
        def.infer(
            new OpContext(name, op, inputs.stream().map(Tensor::type).toList(), attrs, inputs));
    List<Sharding> in = inputs.stream().map(this::sharding).toList();
    RuleContext rc = new RuleContext(op, attrs, inputs, outTypes, in);
    List<Sharding> out = shard ? ShardingRules.get(op).apply(rc) : rc.replicated();
    boolean[] reduced = new boolean[inputs.size()];
    RuleContext split = shard ? StageLevels.withPartialsReduced(rc, in, reduced) : null;
    if (split != null) {
      out = ShardingRules.get(op).apply(split);
      rc = split;
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (rc.needsWhole(i) || reduced[i]) {
        inputs.set(i, boundary(inputs.get(i)));
      }
    }
    Side side = side(inputs, controls, def, op);
    int level = side == Side.WORKER ? levels.latest(inputs, controls) : -1;
    if (side == Side.DRIVER && !op.equals(OpNames.GROUP)) {
      level = levels.synced(inputs, controls, def, op, true);
      side = level >= 0 ? Side.WORKER : Side.DRIVER;
    }
    if (side == Side.DRIVER && !op.equals(OpNames.GROUP)) {
      out = rc.replicated();
      for (int i = 0; i < inputs.size(); i++) {
        if (side(inputs.get(i)) == Side.WORKER) {
          inputs.set(i, boundary(inputs.get(i))); // a value all shards computed alike
        }
      }
    }
    Node node = copy.graph().insert(name, op, inputs, attrs, device, controls);
    if (op.equals(OpNames.VARIABLE)) {
      copy.graph().markVariable(node, copy.output(node, 0));
    }
    for (int i = 0; i < out.size(); i++) {
      sharding.put(copy.output(node, i), out.get(i));
    }
    sides.put(node, side);
    levels.record(node, side, level, inputs, controls, def, op);
    return node;
  }

  /**
   * WORKER when an input depends on sharded data, DRIVER when one depends on an aggregate or the
   * node writes state. A node that needs both is DRIVER here; {@link #emit} then keeps it sharded
   * in a later worker stage when the aggregates are all-reduced ones ({@link StageLevels}: x -
   * mean(x) over the batch, as batch normalization), and otherwise gathers its sharded inputs whole
   * (x - max(x) over the batch): either way the result is the single-device one however unequal the
   * shards.
   */
  private Side side(List<Tensor> inputs, List<Node> controls, OpDef def, String op) {
    boolean worker = false;
    boolean driver = false;
    for (Tensor t : inputs) {
      Side s = side(t);
      worker |= s == Side.WORKER;
      driver |= s == Side.DRIVER;
    }
    for (Node c : controls) {
      worker |= sides.get(c) == Side.WORKER; // a driver node runs after the workers anyway
      driver |= sides.get(c) == Side.DRIVER;
    }
    if (driver) {
      return Side.DRIVER;
    }
    if (worker) {
      return Side.WORKER;
    }
    return def.stateful() && !op.equals(OpNames.VARIABLE) ? Side.DRIVER : Side.ANY;
  }

  /**
   * A tensor with the shape of {@code t} that need not wait for the driver, for inputs whose shape
   * alone an op reads: the value before an all-reduce (same shape), or, for a driver value of
   * static shape, zeros of that shape (gradients refer to forward values this way).
   */
  private Tensor shapeSource(Tensor t) {
    Tensor pre = boundaryInput.get(t);
    if (pre != null && !t.node().op().equals(OpNames.ALL_GATHER)) {
      return pre;
    }
    if (side(t) != Side.DRIVER || !t.shape().isFullyDefined()) {
      return t;
    }
    return shapeOf.computeIfAbsent(
        t,
        k ->
            copy.output(
                emit(
                    t.node().name() + "/.shape" + (t.index() > 0 ? "_" + t.index() : ""),
                    "fill",
                    List.of(),
                    Attrs.of("dtype", t.dtype(), "shape", t.shape(), "value", 0.0),
                    t.node().device(),
                    List.of()),
                0));
  }

  /** The aggregated (whole) form of a worker value, made once per value. */
  private Tensor boundary(Tensor t) {
    if (side(t) != Side.WORKER) {
      return t;
    }
    return boundaryOf.computeIfAbsent(
        t,
        k -> {
          Sharding s = sharding(t);
          String op =
              s.isPartial()
                  ? OpNames.ALL_REDUCE
                  : s.isSharded() ? OpNames.ALL_GATHER : OpNames.PICK_REPLICA;
          Attrs attrs = s.isSharded() ? Attrs.of("axis", s.axis()) : Attrs.empty();
          String name = t.node().name() + "/." + op + (t.index() > 0 ? "_" + t.index() : "");
          Node b = copy.graph().insert(name, op, List.of(t), attrs, t.node().device(), List.of());
          Tensor out = copy.output(b, 0);
          sharding.put(out, Sharding.REPLICATED);
          sides.put(b, Side.DRIVER);
          if (s.isPartial()) {
            levels.allReduced(b, t.node());
          }
          boundaryInput.put(out, t);
          return out;
        });
  }

  void bind(Node source, Node emitted) {
    for (int i = 0; i < source.outputs().size(); i++) {
      copy.bind(this.source.output(source, i), copy.output(emitted, i));
    }
  }

  Sharding sharding(Tensor t) {
    return sharding.getOrDefault(t, Sharding.REPLICATED);
  }

  Side side(Tensor t) {
    return sides.getOrDefault(t.node(), Side.ANY);
  }
}
