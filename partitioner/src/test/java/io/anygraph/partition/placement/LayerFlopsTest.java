package io.anygraph.partition.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import org.junit.jupiter.api.Test;

/** topK counts a sort of each line (n log2 n per line); cumsum one operation per output. */
class LayerFlopsTest {
  @Test
  void topKCountsASortAndCumsumOneAddPerElement() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(4, 8), "x");
    Tensor top = g.nn().topK(x, 2, true).get(0);
    assertEquals(4 * 8 * 3.0, Flops.of(top.node())); // 32 elements, log2(8) = 3
    assertFalse(Flops.isProduct(g.ops().cumsum(x, 1, false, false).node()));
    assertEquals(32.0, Flops.of(g.ops().cumsum(x, 1, false, false).node()));
  }
}
