package io.anygraph.partition.placement;

import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple estimate of where an op is cheapest: the time to move the inputs that
 * live elsewhere plus the time to compute it there. Tiny ops thus stay beside their inputs and
 * heavy ones go where compute is fast. Unknown dimensions count as {@link #UNKNOWN_DIM}.
 */
public final class CostModel {
  static final long UNKNOWN_DIM = 32;
  /** Bytes per second between two devices of one host. */
  static final double BANDWIDTH = 10e9;
  private static final Map<String, Double> FLOPS = Map.of("cpu", 50e9, "gpu", 500e9);

  private CostModel() {}

  /** The cheapest of {@code candidates} for {@code n}, given where its inputs are. */
  public static String cheapest(Node n, List<String> candidates, Map<Node, String> inputDevices) {
    String best = null;
    double bestCost = Double.MAX_VALUE;
    for (String d : candidates) {
      double moved = 0;
      for (Tensor in : n.inputs()) {
        String at = inputDevices.get(in.node());
        if (at != null && !at.equals(d)) {
          moved += bytes(in.type());
        }
      }
      double cost = moved / BANDWIDTH + flops(n) / FLOPS.getOrDefault(d.substring(0, 3), 50e9);
      if (cost < bestCost) {
        best = d;
        bestCost = cost;
      }
    }
    return best;
  }

  public static long bytes(TensorType t) {
    return elements(t.shape()) * t.dtype().bytes();
  }

  static long elements(Shape s) {
    if (!s.hasRank()) {
      return UNKNOWN_DIM;
    }
    long n = 1;
    for (long d : s.dims()) {
      n *= d == Shape.UNKNOWN ? UNKNOWN_DIM : d;
    }
    return n;
  }

  /** Multiply-adds per output of a convolution: filter height × width × input channels. */
  private static long window(Shape filter) {
    return filter.isFullyDefined() && filter.rank() == 4 ? filter.dim(0) * filter.dim(1) * filter.dim(2) : 1;
  }

  /** Floating-point operations: matrix products and convolutions by their sizes, else one per element. */
  static double flops(Node n) {
    long out = n.outputs().isEmpty() ? 0 : elements(n.output(0).shape());
    return switch (n.op()) {
      case "matmul" -> {
        Shape a = n.input(0).shape();
        long k = a.hasRank() ? a.dim(n.attrs().getBool("transposeA", false) ? 0 : 1) : UNKNOWN_DIM;
        yield 2.0 * out * (k == Shape.UNKNOWN ? UNKNOWN_DIM : k);
      }
      case "conv2d" -> 2.0 * out * window(n.input(1).shape());
      // both gradients: two products of the size of the forward one
      case "conv2dGrad" -> 4.0 * elements(n.input(2).shape()) * window(n.input(1).shape());
      default -> out;
    };
  }
}
