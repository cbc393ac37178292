package io.anygraph.partition.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-op sharding rules and the boundaries they imply, on small graphs. */
class ShardingPropagationTest {
  private final Graph g = new Graph();
  private final Tensor x;
  private final Tensor w;

  ShardingPropagationTest() {
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "x");
    }
    w = g.placeholder(DType.FLOAT32, Shape.of(4, 3), "w");
  }

  private ShardedGraph run(Tensor... fetches) {
    return ShardingPropagation.propagate(List.of(fetches), Set.of(x, w), true);
  }

  private static Sharding of(ShardedGraph sg, Tensor t) {
    return sg.sharding(sg.graph().tensor(t.name()));
  }

  private static String boundaryOp(ShardedGraph sg, Tensor fetch) {
    return sg.graph().tensor(sg.fetchNames().get(fetch.name())).op();
  }

  @Test
  void rowsStaySplitThroughElementwiseOpsAndMatmul() {
    Tensor y = g.nn().relu(x.matmul(w)).mul(g.constant(2.0, DType.FLOAT32, 3));
    ShardedGraph sg = run(y);
    assertEquals(Sharding.sharded(0), of(sg, y));
    assertEquals(Side.WORKER, sg.side(sg.graph().node(y.node().name())));
    assertEquals("allGather", boundaryOp(sg, y), "a fetched split value is gathered");
  }

  @Test
  void contractingOrSummingTheBatchGivesAPartialThatIsAllReduced() {
    Tensor gram = g.ops().matmul(x, x, true, false); // xᵀx: contracts the batch
    Tensor total = x.sum(0);
    ShardedGraph sg = run(gram, total);
    assertEquals(Sharding.PARTIAL, of(sg, gram));
    assertEquals(Sharding.PARTIAL, of(sg, total));
    assertEquals("allReduce", boundaryOp(sg, gram));
    assertEquals("allReduce", boundaryOp(sg, total));
  }

  @Test
  void floorDivAndFloorModKeepTheSplitAndTakeNoPartial() {
    Tensor two = g.constant(2.0, DType.FLOAT32, 4);
    Tensor q = x.floorDiv(two);
    Tensor r = x.floorMod(two);
    Tensor ofSum = x.sum(0).floorMod(two); // % of a sum is not the sum of the shards' %
    ShardedGraph sg = run(q, r, ofSum);
    assertEquals(Sharding.sharded(0), of(sg, q));
    assertEquals(Sharding.sharded(0), of(sg, r));
    assertNotEquals(Sharding.PARTIAL, of(sg, ofSum));
    assertEquals(Sharding.PARTIAL, of(sg, ofSum.node().input(0)));
  }

  @Test
  void aMeanOverTheBatchDividesTheSumOfPartialsByTheGlobalCount() {
    Tensor m = x.mean(0);
    ShardedGraph sg = run(m);
    Tensor rewritten = sg.graph().tensor(sg.fetchNames().get(m.name()));
    assertEquals("div", rewritten.op());
    assertEquals("allReduce", rewritten.node().input(0).op());
    assertEquals("reduceSum", rewritten.node().input(0).node().input(0).op());
    assertEquals(ShardingPropagation.GLOBAL_BATCH, sg.globalBatch().replace(":0", ""));
  }

  @Test
  void aReshapeThatKeepsTheBatchFirstKeepsTheSplitAndOneThatMixesItGathers() {
    Tensor kept = x.reshape(-1, 2, 2);
    Tensor mixed = x.reshape(2, -1);
    ShardedGraph sg = run(kept, mixed);
    assertEquals(Sharding.sharded(0), of(sg, kept));
    Tensor m = sg.graph().tensor(mixed.name());
    assertEquals("allGather", m.node().input(0).op(), "the whole x is needed to reshape it so");
    assertEquals(Side.DRIVER, sg.side(m.node()));
  }

  @Test
  void opsAlongTheBatchAxisNeedTheWholeBatch() {
    Tensor s = g.nn().softmax(x, 0);
    Tensor rows = g.nn().softmax(x);
    ShardedGraph sg = run(s, rows);
    assertEquals("allGather", sg.graph().tensor(s.name()).node().input(0).op());
    assertEquals(Sharding.sharded(0), of(sg, rows));
  }

  @Test
  void aPartialIsNeverScaledOnTheShards() {
    Tensor scaled = x.sum(0).mul(g.constant(0.5, DType.FLOAT32, 4));
    ShardedGraph sg = run(scaled);
    Tensor t = sg.graph().tensor(scaled.name());
    assertEquals(
        "allReduce", t.node().input(0).op(), "0.5·Σ = Σ after the all-reduce, not per shard");
    assertEquals(Sharding.REPLICATED, sg.sharding(t));
  }

  @Test
  void withoutShardingEverythingIsWholeAndThereIsNoWorkerStage() {
    Tensor y = x.matmul(w).sum(0);
    ShardedGraph sg = ShardingPropagation.propagate(List.of(y), Set.of(x, w), false);
    assertFalse(sg.hasWorkerStage());
    assertEquals(y.name(), sg.fetchNames().get(y.name()));
  }

  @Test
  void aShardedValueCombinedWithAnAggregateIsGatheredAndComputedOnTheDriver() {
    Tensor centered = x.sub(x.max(0)); // x - max over the batch: needs every shard's rows first
    ShardedGraph sg = run(centered);
    Tensor t = sg.graph().tensor(centered.name());
    assertEquals("allGather", t.node().input(0).op(), "the shards of x are gathered whole");
    assertEquals(t.node().input(0), t.node().input(1).node().input(0), "max of x gathered once");
    assertEquals(Side.DRIVER, sg.side(t.node()));
    assertEquals(Sharding.REPLICATED, sg.sharding(t));
  }

  @Test
  void controlInputsKeepTheirCopies() {
    Tensor first = g.ops().group(List.of());
    Tensor y;
    try (Scope c = g.controlDependencies(List.of(first))) {
      y = x.matmul(w);
    }
    ShardedGraph sg = run(y);
    assertEquals(
        List.of(sg.graph().node(first.node().name())),
        sg.graph().node(y.node().name()).controlInputs());
  }
}
