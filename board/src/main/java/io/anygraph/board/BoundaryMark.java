package io.anygraph.board;

import io.anygraph.partition.stage.Boundary;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The viewer's mark for a value that leaves its device or stage: a transfer between devices, or one
 * of the partitioner's {@link Boundary stage boundaries} (an all-reduce of partial values, an
 * all-gather of slices, the first replica's value). The viewer draws it on the edge {@code from →
 * to}; in the GraphDef it is a node of op {@code _Transfer}, {@code _AllReduce}, {@code _AllGather}
 * or {@code _PickReplica} between the two (as TensorFlow shows {@code _Send}/{@code _Recv}).
 *
 * <pre>{@code
 * new BoundaryMark(BoundaryMark.Kind.ALL_REDUCE, "gradients/dense/matmul_grad/matmul",
 *     "adam/update_w", "sum over 4 workers")
 * }</pre>
 *
 * @param kind what happens to the value
 * @param from the node that produces the value ({@code "name"}, or {@code "name:i"} for output i)
 * @param to the node that consumes it
 * @param label a short description shown beside the mark (may be empty)
 */
public record BoundaryMark(Kind kind, String from, String to, String label) {
  /**
   * What a mark does to the value crossing it: a device transfer, or a stage boundary spelled as
   * the partitioner's {@link Boundary.Kind} (same constant names, see {@link #of}).
   */
  public enum Kind {
    TRANSFER("_Transfer"),
    ALL_REDUCE("_AllReduce"),
    ALL_GATHER("_AllGather"),
    PICK_REPLICA("_PickReplica");

    // Event files written before the kinds took the partitioner's spelling.
    private static final Map<String, Kind> OLD_LABELS =
        Map.of("allreduce", ALL_REDUCE, "gather", ALL_GATHER);

    private final String op;

    Kind(String op) {
      this.op = op;
    }

    /** The mark of one of the partitioner's stage boundaries. */
    public static Kind of(Boundary.Kind partitionerKind) {
      return valueOf(partitionerKind.name());
    }

    /** The op of the mark's node in a GraphDef. */
    public String op() {
      return op;
    }

    /**
     * The kind in the GraphDef attribute and the viewer's JSON: the constant's name in lower case
     * ({@code "transfer"}, {@code "all_reduce"}, {@code "all_gather"}, {@code "pick_replica"}).
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a {@link #label()}; older event files' {@code allreduce}, {@code gather} too. */
    public static Kind fromLabel(String label) {
      for (Kind k : values()) {
        if (k.label().equals(label)) {
          return k;
        }
      }
      Kind old = OLD_LABELS.get(label);
      if (old != null) {
        return old;
      }
      throw new IllegalArgumentException(
          "unknown boundary kind '"
              + label
              + "' (expected transfer, all_reduce, all_gather or pick_replica)");
    }
  }

  public BoundaryMark {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    label = label == null ? "" : label;
  }

  /** The node name in {@link #from}, without an output index. */
  public String fromNode() {
    int colon = from.lastIndexOf(':');
    return colon > 0 && from.substring(colon + 1).chars().allMatch(Character::isDigit)
        ? from.substring(0, colon)
        : from;
  }
}
