package io.anygraph.board;

import java.util.Locale;
import java.util.Objects;

/**
 * A point where a value leaves its device or stage: a transfer between devices, an all-reduce
 * of partial values across workers, or a gather of a sharded value. The viewer marks it on the
 * edge {@code from → to}; in the GraphDef it is a node of op {@code _Transfer}, {@code
 * _AllReduce} or {@code _Gather} between the two (as TensorFlow shows {@code _Send}/{@code
 * _Recv}).
 *
 * <pre>{@code
 * new Boundary(Boundary.Kind.ALLREDUCE, "gradients/dense/matmul_grad/matmul", "adam/update_w",
 *     "sum over 4 workers")
 * }</pre>
 *
 * @param kind what happens to the value
 * @param from the node that produces the value ({@code "name"}, or {@code "name:i"} for output i)
 * @param to the node that consumes it
 * @param label a short description shown beside the mark (may be empty)
 */
public record Boundary(Kind kind, String from, String to, String label) {
  /** What a boundary does to the value crossing it. */
  public enum Kind {
    TRANSFER("_Transfer"),
    ALLREDUCE("_AllReduce"),
    GATHER("_Gather");

    private final String op;

    Kind(String op) {
      this.op = op;
    }

    /** The op of the boundary's node in a GraphDef. */
    public String op() {
      return op;
    }

    /** {@code "transfer"}, {@code "allreduce"}, {@code "gather"}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromLabel(String label) {
      for (Kind k : values()) {
        if (k.label().equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown boundary kind '" + label
          + "' (expected transfer, allreduce or gather)");
    }
  }

  public Boundary {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    label = label == null ? "" : label;
  }

  /** The node name in {@link #from}, without an output index. */
  public String fromNode() {
    int colon = from.lastIndexOf(':');
    return colon > 0 && from.substring(colon + 1).chars().allMatch(Character::isDigit)
        ? from.substring(0, colon) : from;
  }
}
