package io.anygraph.partition.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The matmul rule on batches of matrices: a split batch axis stays split where the other operand
 * broadcasts along it, rows stay rows, and contracting the split axis gives a partial.
 */
class BatchedMatmulShardingTest {
  private final Graph g = new Graph();
  private final Tensor x; // [batch?, 3, 4], split along the batch
  private final Tensor y; // [batch?, 4, 2], split along the batch
  private final Tensor r; // [rows?, 4], split along the rows
  private final Tensor w; // [4, 5], whole
  private final Tensor v; // [6, 4, 5], whole, with a batch axis of its own

  BatchedMatmulShardingTest() {
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3, 4), "x");
      y = g.placeholder(DType.FLOAT32, Shape.of(-1, 4, 2), "y");
      r = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "r");
    }
    w = g.placeholder(DType.FLOAT32, Shape.of(4, 5), "w");
    v = g.placeholder(DType.FLOAT32, Shape.of(6, 4, 5), "v");
  }

  private Sharding sharding(Tensor... fetches) {
    ShardedGraph sg = ShardingPropagation.propagate(List.of(fetches), Set.of(x, y, r, w, v), true);
    return sg.sharding(sg.graph().tensor(fetches[0].name()));
  }

  @Test
  void aSplitBatchStaysSplitAgainstAMatrixOrAnotherBatchSplitTheSameWay() {
    assertEquals(Sharding.sharded(0), sharding(x.matmul(w)));
    assertEquals(Sharding.sharded(0), sharding(x.matmul(y)));
    assertEquals(Sharding.sharded(0), sharding(g.ops().matmul(y, x, true, true)));
    Tensor x4 = x.reshape(-1, 1, 3, 4); // the split axis 0 of a rank-4 operand
    assertEquals(Sharding.sharded(0), sharding(x4.matmul(w)));
  }

  @Test
  void contractingTheSplitAxisGivesAPartial() {
    Tensor batched = g.ops().expandDims(r, 0); // [1, rows, 4] split along axis 1
    Tensor gram = g.ops().matmul(batched, batched, true, false);
    assertEquals(Sharding.PARTIAL, sharding(gram));
  }

  @Test
  void rowsOfABatchedOperandStaySplit() {
    Tensor rows = g.ops().expandDims(r, 0); // [1, rows, 4]: split rows
    assertEquals(Sharding.sharded(1), sharding(rows.matmul(w)));
    assertEquals(
        Sharding.sharded(1),
        sharding(rows.matmul(v)),
        "a split row axis of a [1, m, k] operand against [6, k, n] is axis 1 of the output");
  }

  @Test
  void aWholeOperandWithItsOwnBatchAxisGathersTheSplitOne() {
    Tensor mixed = g.ops().matmul(x, v.reshape(6, 5, 4), false, true); // batches ? and 6
    assertEquals(Sharding.REPLICATED, sharding(mixed));
  }

  @Test
  void theGradientOfAWeightSharedByASplitBatchIsAPartial() {
    Tensor loss = x.matmul(w).square().sum();
    Tensor dw = g.grad(loss, w);
    assertEquals(Sharding.PARTIAL, sharding(dw), "summed over the broadcast batch, per shard");
    Tensor dx = g.grad(loss, x);
    assertEquals(Sharding.sharded(0), sharding(dx));
  }
}
