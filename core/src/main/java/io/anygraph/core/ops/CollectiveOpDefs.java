package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Shape;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * Where values of the shards of a data-parallel step meet; the partitioner inserts these at the
 * boundary between the sharded worker stage and the driver stage. {@code allReduce(x)} is the sum
 * of every shard's partial x; {@code allGather(x)} joins the shards' slices of x along attribute
 * {@code axis}; {@code pickReplica(x)} takes the first shard's x, for values all shards compute
 * alike. On a single device each is the identity, which is what their kernels compute there.
 */
final class CollectiveOpDefs {
  private CollectiveOpDefs() {}

  static void define() {
    register(
        OpDef.noGradient(
            "allReduce",
            c -> {
              c.requireInputs(1);
              c.requireNumeric(0);
              return List.of(c.in(0));
            }));
    register(
        OpDef.noGradient(
            "allGather",
            c -> {
              c.requireInputs(1);
              Shape s = c.shape(0);
              if (!s.hasRank()) {
                return List.of(c.in(0));
              }
              int axis = c.axis(c.attrs().getLong("axis"), s.rank());
              long[] dims = s.dims();
              dims[axis] = Shape.UNKNOWN; // the sum of the shards' sizes, known only when run
              return List.of(new TensorType(c.dtype(0), Shape.of(dims)));
            }));
    register(
        OpDef.noGradient(
            "pickReplica",
            c -> {
              c.requireInputs(1);
              return List.of(c.in(0));
            }));
  }
}
