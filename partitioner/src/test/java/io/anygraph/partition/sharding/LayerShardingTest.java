package io.anygraph.partition.sharding;

import static io.anygraph.partition.sharding.Sharding.REPLICATED;
import static io.anygraph.partition.sharding.Sharding.sharded;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.Attrs;
import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.Variable;
import io.anygraph.core.ops.OpContext;
import io.anygraph.core.ops.OpRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The sharding of the layers' building blocks: cumsum and topK keep a split along any axis but
 * their own; attention over a split batch stays split; batch normalization stays split, its
 * statistics over the batch all-reduced between worker stages (gathered to the driver when the plan
 * may have one worker stage only).
 */
class LayerShardingTest {
  private final Graph g = new Graph();
  private final Tensor rows; // [batch?, 4], split along the batch
  private final Tensor seq; // [batch?, 2, 3, 4]: batch, heads, time, depth; split along the batch

  LayerShardingTest() {
    try (Scope s = g.sharded()) {
      rows = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "rows");
      seq = g.placeholder(DType.FLOAT32, Shape.of(-1, 2, 3, 4), "seq");
    }
  }

  /** The rule's output shardings and which inputs it needs whole, for one input sharding. */
  private static List<Object> rule(String op, Attrs attrs, Shape shape, Sharding in) {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, shape, "x");
    List<TensorType> out =
        OpRegistry.get(op).infer(new OpContext(op, op, List.of(x.type()), attrs, List.of(x)));
    RuleContext c = new RuleContext(op, attrs, List.of(x), out, List.of(in));
    return List.of(ShardingRules.get(op).apply(c), c.needsWhole(0));
  }

  @Test
  void cumsumAndTopKKeepASplitAlongAnotherAxisAndNeedTheirOwnAxisWhole() {
    Shape m = Shape.of(-1, 4);
    Attrs along1 = Attrs.of("axis", 1L, "exclusive", false, "reverse", false);
    Attrs along0 = Attrs.of("axis", 0L, "exclusive", true, "reverse", true);
    assertEquals(List.of(List.of(sharded(0)), false), rule("cumsum", along1, m, sharded(0)));
    assertEquals(List.of(List.of(REPLICATED), true), rule("cumsum", along0, m, sharded(0)));
    Attrs top = Attrs.of("k", 2L, "sorted", true);
    assertEquals(List.of(List.of(sharded(0), sharded(0)), false), rule("topK", top, m, sharded(0)));
    assertEquals(
        List.of(List.of(REPLICATED, REPLICATED), true),
        rule("topK", top, Shape.of(3, -1), sharded(1)));
  }

  private ShardedGraph propagate(Tensor... fetches) {
    return ShardingPropagation.propagate(List.of(fetches), Set.of(rows, seq), true);
  }

  @Test
  void attentionOverASplitBatchStaysSplitAndItsWeightGradientIsAPartial() {
    Variable w = g.variable(g.ops().fill(DType.FLOAT32, Shape.of(4, 4), 0.5), "w");
    Tensor q = seq.matmul(w);
    Tensor out = g.nn().attention(q, seq, seq, null, true);
    ShardedGraph sg = propagate(out);
    Tensor copied = sg.graph().tensor(out.name());
    assertEquals(sharded(0), sg.sharding(copied));
    assertEquals(Side.WORKER, sg.side(copied.node()));
    Tensor dw = g.grad(out.sum(), w);
    ShardedGraph gg = propagate(dw);
    assertEquals(Sharding.PARTIAL, gg.sharding(gg.graph().tensor(dw.name())));
  }

  @Test
  void batchNormStaysSplitAndNormalizesWithAllReducedStatisticsInLaterWorkerStages() {
    BatchNorm bn = new BatchNorm(g, "bn", DType.FLOAT32, Shape.of(4), new int[] {0});
    Tensor y = bn.apply(rows, true);
    ShardedGraph sg = propagate(y);
    Node copied = sg.graph().node(y.node().name());
    assertEquals(Side.WORKER, sg.side(copied));
    assertEquals(sharded(0), sg.sharding(sg.graph().output(copied, 0)));
    // stage 1: sums of x; stage 2: x - mean and the sums of its squares; stage 3: normalize
    assertEquals(2, sg.level(copied));
    assertEquals(3, sg.workerStages());
    List<String> gathered =
        sg.graph().nodes().stream()
            .filter(n -> n.op().equals("allGather"))
            .map(n -> n.input(0).name())
            .toList();
    assertEquals(List.of(y.name()), gathered, "only the fetched output is gathered, no rows");
  }

  @Test
  void limitedToOneWorkerStageBatchNormGathersTheWholeBatchToTheDriver() {
    BatchNorm bn = new BatchNorm(g, "bn", DType.FLOAT32, Shape.of(4), new int[] {0});
    Tensor y = bn.apply(rows, true);
    ShardedGraph sg = ShardingPropagation.propagate(List.of(y), Set.of(rows, seq), true, 1);
    Tensor copied = sg.graph().tensor(y.name());
    assertEquals(Side.DRIVER, sg.side(copied.node()));
    boolean gathered =
        sg.graph().nodes().stream()
            .anyMatch(n -> n.op().equals("allGather") && n.input(0).name().equals("rows:0"));
    assertEquals(true, gathered, "the split rows are gathered whole for x - mean(x)");
  }
}
