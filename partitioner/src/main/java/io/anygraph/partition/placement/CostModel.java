package io.anygraph.partition.placement;

import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple estimate of where an op is cheapest: the time to move the inputs that live
 * elsewhere plus the time to compute it there. Tiny ops thus stay beside their inputs and heavy
 * ones go where compute is fast. Unknown dimensions count as {@link #UNKNOWN_DIM}.
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
      double cost = moved / BANDWIDTH + Flops.of(n) / FLOPS.getOrDefault(d.substring(0, 3), 50e9);
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
}
