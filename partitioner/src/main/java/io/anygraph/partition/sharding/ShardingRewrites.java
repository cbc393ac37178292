package io.anygraph.partition.sharding;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The op-specific rewrites of the sharding pass, by op, tried before a node with sharded inputs is
 * copied under its op's sharding rule: a mean over the sharded axis becomes the all-reduced partial
 * sum divided by the global count, {@code size} over it counts the whole batch, a reshape that
 * names the static batch takes shards of any size, and the gradient's seed becomes a constant. Each
 * emits through the pass it belongs to ({@link ShardingPropagation}).
 */
final class ShardingRewrites {
  private final ShardingPropagation pass;

  ShardingRewrites(ShardingPropagation pass) {
    this.pass = pass;
  }

  /** Rewrites {@code n} if a rewrite for its op applies; false (nothing emitted) otherwise. */
  boolean apply(Node n, List<Tensor> inputs, List<Node> controls) {
    Rewrite rewrite = rewrites.get(n.op());
    return rewrite != null && rewrite.apply(n, inputs, controls);
  }

  /** An op-specific rewrite of a node with sharded inputs; false when it does not apply. */
  @FunctionalInterface
  private interface Rewrite {
    boolean apply(Node n, List<Tensor> inputs, List<Node> controls);
  }

  /** The rewrites, by op, tried before a node is copied under its op's sharding rule. */
  private final Map<String, Rewrite> rewrites =
      Map.of(
          "reduceMean", this::overShardedAxis,
          "size", this::overShardedAxis,
          "reshape", this::batchFirstReshape,
          "onesLike", this::constantSeed,
          "zerosLike", this::constantSeed);

  private boolean overShardedAxis(Node n, List<Tensor> inputs, List<Node> controls) {
    Tensor x = inputs.get(0);
    Sharding s = pass.sharding(x);
    if (!s.isSharded()
        || !x.shape().hasRank()
        || !axesOf(n.attrs(), x.shape().rank()).contains(s.axis())) {
      return false;
    }
    rewriteOverShardedAxis(n, x, s.axis(), controls);
    return true;
  }

  /** The gradient's seed, onesLike(loss), as a constant: workers need not wait for the loss. */
  private boolean constantSeed(Node n, List<Tensor> inputs, List<Node> controls) {
    Tensor like = inputs.get(0);
    if (pass.side(like) != Side.DRIVER || !like.shape().isFullyDefined()) {
      return false;
    }
    pass.bind(
        n,
        pass.emit(
            n.name(),
            OpNames.FILL,
            List.of(),
            Attrs.of(
                "dtype",
                n.output(0).dtype(),
                "shape",
                like.shape(),
                "value",
                n.op().equals("onesLike") ? 1.0 : 0.0),
            n.device(),
            controls));
    return true;
  }

  /**
   * mean(x) over the sharded axis = allReduce(partial sums) / global count; size(x) over it = the
   * global count. Both stay exact when shards differ in size.
   */
  private void rewriteOverShardedAxis(Node n, Tensor x, int axis, List<Node> controls) {
    List<Integer> axes = axesOf(n.attrs(), x.shape().rank());
    Tensor count = globalCount(n.name(), x, axis, axes, n.device());
    if (n.op().equals("size")) {
      pass.copy().bind(pass.source().output(n, 0), count);
      return;
    }
    Node sum =
        pass.emit(
            n.name() + "/.partialSum", "reduceSum", List.of(x), n.attrs(), n.device(), controls);
    Node countF =
        pass.emit(
            n.name() + "/.count",
            "cast",
            List.of(count),
            Attrs.of("dtype", x.dtype()),
            n.device(),
            List.of());
    pass.bind(
        n,
        pass.emit(
            n.name(),
            "div",
            List.of(pass.copy().output(sum, 0), pass.copy().output(countF, 0)),
            Attrs.empty(),
            n.device(),
            List.of()));
  }

  /** The global batch times the (local = global) sizes of the other reduced axes. */
  private Tensor globalCount(String base, Tensor x, int axis, List<Integer> axes, String device) {
    Tensor batch = pass.globalBatch();
    List<Integer> other = axes.stream().filter(a -> a != axis).toList();
    if (other.isEmpty()) {
      return batch;
    }
    long known = 1;
    for (int a : other) {
      known = known < 0 || x.shape().dim(a) == Shape.UNKNOWN ? -1 : known * x.shape().dim(a);
    }
    Node factor =
        known >= 0
            ? pass.emit(
                base + "/.rowCount",
                "fill",
                List.of(),
                Attrs.of("dtype", DType.INT64, "shape", Shape.scalar(), "value", (double) known),
                device,
                List.of())
            : pass.emit(
                base + "/.rowCount",
                "size",
                List.of(x),
                Attrs.of("axes", other.stream().mapToLong(Integer::longValue).toArray()),
                device,
                List.of());
    return pass.copy()
        .output(
            pass.emit(
                base + "/.globalCount",
                "mul",
                List.of(batch, pass.copy().output(factor, 0)),
                Attrs.empty(),
                device,
                List.of()),
            0);
  }

  /** reshape(x, [64, ...]) of a batch-sharded x with static batch 64 takes shards as [-1, ...]. */
  private boolean batchFirstReshape(Node n, List<Tensor> inputs, List<Node> controls) {
    Sharding s = pass.sharding(inputs.get(0));
    long[] target = n.attrs().getLongs("shape");
    Shape in = n.input(0).shape();
    if (!s.isSharded()
        || s.axis() != 0
        || target.length == 0
        || !in.hasRank()
        || in.rank() == 0
        || in.dim(0) == Shape.UNKNOWN
        || target[0] != in.dim(0)) {
      return false;
    }
    target[0] = -1;
    pass.bind(
        n,
        pass.emit(n.name(), n.op(), inputs, n.attrs().with("shape", target), n.device(), controls));
    return true;
  }

  private static List<Integer> axesOf(Attrs attrs, int rank) {
    List<Integer> out = new ArrayList<>();
    long[] axes = attrs.has("axes") ? attrs.getLongs("axes") : new long[0];
    for (long a : axes) {
      out.add((int) (a < 0 ? a + rank : a));
    }
    if (axes.length == 0) {
      for (int a = 0; a < rank; a++) {
        out.add(a);
      }
    }
    return out;
  }
}
