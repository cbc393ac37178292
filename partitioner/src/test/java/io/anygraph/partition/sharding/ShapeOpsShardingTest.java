package io.anygraph.partition.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Shapes as values: a shard's shape is not the whole value's, a partial's is. */
class ShapeOpsShardingTest {
  private final Graph g = new Graph();
  private final Tensor x;

  ShapeOpsShardingTest() {
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "x");
    }
  }

  private ShardedGraph run(Tensor... fetches) {
    return ShardingPropagation.propagate(List.of(fetches), Set.of(x), true);
  }

  private static String inputOp(ShardedGraph sg, Tensor t, int i) {
    return sg.graph().tensor(t.name()).node().input(i).op();
  }

  @Test
  void theShapeOfASplitValueIsTakenFromTheGatheredWhole() {
    Tensor s = g.ops().shape(x);
    ShardedGraph sg = run(s);
    assertEquals("allGather", inputOp(sg, s, 0));
    assertEquals(Sharding.REPLICATED, sg.sharding(sg.graph().tensor(s.name())));
  }

  @Test
  void theShapeOfAPartialNeedsNoAllReduce() {
    Tensor partial = x.sum(0);
    Tensor s = g.ops().shape(partial);
    ShardedGraph sg = run(s);
    assertNotEquals("allReduce", inputOp(sg, s, 0));
    assertEquals(Sharding.REPLICATED, sg.sharding(sg.graph().tensor(s.name())));
  }

  @Test
  void slicesAndReshapesAtComputedPlacesKeepPartialsAndGatherSplits() {
    Tensor partial = x.sum(0); // [4], a partial sum per shard
    Tensor begin = g.constant(Nd4j.createFromArray(1L));
    Tensor size = g.constant(Nd4j.createFromArray(2L));
    Tensor part = g.ops().slice(partial, begin, size);
    Tensor square = g.ops().reshape(partial, g.constant(Nd4j.createFromArray(2L, 2L)));
    Tensor rows =
        g.ops()
            .slice(
                x,
                g.constant(Nd4j.createFromArray(0L, 0L)),
                g.constant(Nd4j.createFromArray(1L, -1L)));
    ShardedGraph sg = run(part, square, rows);
    assertEquals(Sharding.PARTIAL, sg.sharding(sg.graph().tensor(part.name())));
    assertEquals(Sharding.PARTIAL, sg.sharding(sg.graph().tensor(square.name())));
    assertEquals("allGather", inputOp(sg, rows, 0), "which rows are wanted depends on the whole");
  }
}
