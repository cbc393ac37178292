package io.anygraph.partition.sharding;

/**
 * How a value is spread over the shards of a data-parallel step: the same on every shard
 * (replicated), split into slices along one axis (sharded), or split into summands whose sum is the
 * value (partial: what a sum over the sharded axis gives on each shard).
 */
public record Sharding(Kind kind, int axis) {
  public enum Kind {
    REPLICATED,
    SHARDED,
    PARTIAL
  }

  public static final Sharding REPLICATED = new Sharding(Kind.REPLICATED, -1);
  public static final Sharding PARTIAL = new Sharding(Kind.PARTIAL, -1);

  public static Sharding sharded(int axis) {
    return new Sharding(Kind.SHARDED, axis);
  }

  public boolean isReplicated() {
    return kind == Kind.REPLICATED;
  }

  public boolean isSharded() {
    return kind == Kind.SHARDED;
  }

  public boolean isPartial() {
    return kind == Kind.PARTIAL;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case REPLICATED -> "replicated";
      case SHARDED -> "sharded(axis " + axis + ")";
      case PARTIAL -> "partial(sum)";
    };
  }
}
