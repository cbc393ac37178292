package io.anygraph.partition.stage;

import io.anygraph.core.TensorType;
import io.anygraph.core.ops.OpNames;

/**
 * Where a worker stage hands a value on: the workers compute {@code workerTensor} on each shard,
 * the runner aggregates the shards' values, and the driver stage, or a later worker stage, reads
 * the result from the placeholder {@code driverTensor} (the same name in every stage graph that
 * reads it).
 *
 * @param kind how the shards' values become one
 * @param axis for {@link Kind#ALL_GATHER}, the axis the slices are joined along
 * @param type the aggregated value's type
 * @param stage the index, among the plan's worker stages, of the stage that computes {@code
 *     workerTensor} (0 in a single-stage plan)
 */
public record Boundary(
    Kind kind, String workerTensor, String driverTensor, int axis, TensorType type, int stage) {

  /** A boundary after the first (or only) worker stage. */
  public Boundary(Kind kind, String workerTensor, String driverTensor, int axis, TensorType type) {
    this(kind, workerTensor, driverTensor, axis, type, 0);
  }

  public enum Kind {
    /** Sum of the shards' partial values. */
    ALL_REDUCE,
    /** The shards' slices joined in shard order. */
    ALL_GATHER,
    /** A value every shard computes alike: the first shard's. */
    PICK_REPLICA;

    public static Kind ofOp(String op) {
      return switch (op) {
        case OpNames.ALL_REDUCE -> ALL_REDUCE;
        case OpNames.ALL_GATHER -> ALL_GATHER;
        case OpNames.PICK_REPLICA -> PICK_REPLICA;
        default -> throw new IllegalArgumentException("not a boundary op: " + op);
      };
    }

    public String label() {
      return switch (this) {
        case ALL_REDUCE -> "all-reduce (sum)";
        case ALL_GATHER -> "all-gather";
        case PICK_REPLICA -> "first replica";
      };
    }
  }
}
