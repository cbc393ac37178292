package io.anygraph.partition.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.ControlFlowOpDefs;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A loop or cond is one node: split over the batch when its nested graph works row by row. */
class ControlFlowShardingTest {
  private final Graph g = new Graph();
  private final Tensor x;
  private final Tensor w;
  private final Tensor three;

  ControlFlowShardingTest() {
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT64, Shape.of(-1, 4), "x");
    }
    w = g.placeholder(DType.FLOAT64, Shape.of(4, 4), "w");
    three = g.constant(3, DType.INT32);
  }

  private ShardedGraph run(Tensor... fetches) {
    return ShardingPropagation.propagate(List.of(fetches), Set.of(x, w), true);
  }

  private List<Tensor> loop(UnaryOperator<Tensor> step) {
    return g.control()
        .whileLoop(
            v -> g.ops().less(v.get(0), three),
            v -> List.of(v.get(0).add(1), step.apply(v.get(1))),
            List.of(g.constant(0, DType.INT32), x));
  }

  private static Sharding of(ShardedGraph sg, Tensor t) {
    return sg.sharding(sg.graph().tensor(t.name()));
  }

  @Test
  void aRowWiseLoopStaysSplitOnTheWorkers() {
    Tensor h = loop(v -> g.nn().tanh(v.matmul(w)).add(x)).get(1);
    ShardedGraph sg = run(h);
    assertEquals(Sharding.sharded(0), of(sg, h));
    assertEquals(Side.WORKER, sg.side(sg.graph().node(h.node().name())));
  }

  @Test
  void aLoopWhoseBodyMixesRowsTakesItsInputsWhole() {
    Tensor h = loop(v -> v.sub(v.mean(0))).get(1); // a mean over the batch inside
    ShardedGraph sg = run(h);
    assertEquals(Sharding.REPLICATED, of(sg, h));
    Node copied = sg.graph().node(h.node().name());
    assertEquals("allGather", copied.input(1).op());
  }

  @Test
  void theGradientLoopStaysSplitAndSumsTheWeightGradientAsAPartial() {
    Tensor h = loop(v -> g.nn().tanh(v.matmul(w))).get(1);
    Tensor dw = g.grad(h.sum(), w);
    ShardedGraph sg = run(dw);
    Node back = dw.node();
    while (!back.op().equals(ControlFlowOpDefs.WHILE_OP)) {
      back = back.input(0).node();
    }
    Node copied = sg.graph().node(back.name());
    assertEquals(Side.WORKER, sg.side(copied));
    assertEquals(Sharding.PARTIAL, of(sg, dw));
  }

  @Test
  void aCondOnAReplicatedPredicateKeepsRowWiseBranchesSplit() {
    Tensor p = g.placeholder(DType.BOOL, Shape.scalar(), "p");
    Tensor y = g.control().cond(p, () -> x.mul(2.0), () -> x.neg());
    ShardedGraph sg = ShardingPropagation.propagate(List.of(y), Set.of(x, w, p), true);
    assertEquals(Sharding.sharded(0), of(sg, y));
    Tensor q = g.ops().greater(x.sum(), g.constant(0.0, DType.FLOAT64));
    Tensor z = g.control().cond(q, () -> x.mul(2.0), () -> x.neg());
    // a predicate from the whole batch is an all-reduced sum: the cond stays split, in a second
    // worker stage that reads it; limited to one worker stage, it runs on the driver, on gathered
    // rows (exact either way)
    ShardedGraph sz = run(z);
    assertEquals(Sharding.sharded(0), of(sz, z));
    Node cz = sz.graph().node(z.node().name());
    assertEquals(Side.WORKER, sz.side(cz));
    assertEquals(1, sz.level(cz));
    ShardedGraph one = ShardingPropagation.propagate(List.of(z), Set.of(x, w), true, 1);
    assertEquals(Sharding.REPLICATED, of(one, z));
    assertEquals(Side.DRIVER, one.side(one.graph().node(z.node().name())));
  }
}
