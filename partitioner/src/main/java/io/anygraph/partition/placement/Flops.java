package io.anygraph.partition.placement;

import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Floating-point operations per node, by op: products (matrix products, convolutions) by their
 * sizes, every other op one per output element. One table for the cost model's placement and the
 * plan printer's count of heavy nodes.
 */
public final class Flops {
  private static final Map<String, ToDoubleFunction<Node>> PRODUCTS =
      Map.of(
          "matmul", Flops::matmul,
          "conv2d", n -> 2.0 * outputs(n) * window(n.input(1).shape()),
          // both gradients: two products of the size of the forward one
          "conv2dGrad",
              n -> 4.0 * CostModel.elements(n.input(2).shape()) * window(n.input(1).shape()),
          // a sort of each line of the last axis: n log2 n comparisons per line
          "topK", n -> CostModel.elements(n.input(0).shape()) * log2(lastAxis(n)));

  private Flops() {}

  /** The node's floating-point operations (unknown dimensions count as 32). */
  public static double of(Node n) {
    ToDoubleFunction<Node> rule = PRODUCTS.get(n.op());
    return rule == null ? outputs(n) : rule.applyAsDouble(n);
  }

  /**
   * Whether the node is a product (matmul, convolution), whose work grows faster than its output.
   */
  public static boolean isProduct(Node n) {
    return PRODUCTS.containsKey(n.op());
  }

  private static long outputs(Node n) {
    return n.outputs().isEmpty() ? 0 : CostModel.elements(n.output(0).shape());
  }

  /** 2·k per output element, k the contracted size (the last axis of a, or the one before). */
  private static double matmul(Node n) {
    Shape a = n.input(0).shape();
    long k = CostModel.UNKNOWN_DIM;
    if (a.hasRank() && a.rank() >= 2) {
      long d = a.dim(a.rank() - (n.attrs().getBool("transposeA", false) ? 2 : 1));
      k = d == Shape.UNKNOWN ? CostModel.UNKNOWN_DIM : d;
    }
    return 2.0 * outputs(n) * k;
  }

  private static double log2(long n) {
    return Math.max(1, Math.log(n) / Math.log(2));
  }

  private static long lastAxis(Node n) {
    Shape s = n.input(0).shape();
    long d = s.hasRank() && s.rank() > 0 ? s.dim(s.rank() - 1) : Shape.UNKNOWN;
    return d == Shape.UNKNOWN ? CostModel.UNKNOWN_DIM : d;
  }

  /** Multiply-adds per output of a convolution: filter height × width × input channels. */
  private static long window(Shape filter) {
    return filter.isFullyDefined() && filter.rank() == 4
        ? filter.dim(0) * filter.dim(1) * filter.dim(2)
        : 1;
  }
}
