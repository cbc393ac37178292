package io.anygraph.partition;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import java.io.PrintStream;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The debug switch that prints the graph after each partitioner pass, as TensorFlow's placer dumps
 * its graphs: on when the system property {@code anygraph.dumpPasses} is {@code true} or the
 * environment variable {@code ANYGRAPH_DUMP_PASSES} is {@code 1}, printing to standard error. One
 * line per node: {@code name = op(inputs) @device}, plus what the pass decided for it.
 */
public final class PassDump {
  private static volatile PrintStream target;

  private PassDump() {}

  /** Whether passes are dumped. */
  public static boolean enabled() {
    return target != null
        || Boolean.getBoolean("anygraph.dumpPasses")
        || "1".equals(System.getenv("ANYGRAPH_DUMP_PASSES"));
  }

  /** Dumps to {@code out} from now on (null: back to the switch), for tests and tools. */
  public static void to(PrintStream out) {
    target = out;
  }

  /** Prints {@code g} after {@code pass}, each node followed by {@code note(node)} if not empty. */
  static void after(String pass, Graph g, Function<Node, String> note) {
    if (!enabled()) {
      return;
    }
    PrintStream out = target != null ? target : System.err;
    StringBuilder b =
        new StringBuilder("== after ")
            .append(pass)
            .append(": ")
            .append(g.nodes().size())
            .append(" nodes\n");
    for (Node n : g.nodes()) {
      b.append("  ")
          .append(n.name())
          .append(" = ")
          .append(n.op())
          .append('(')
          .append(n.inputs().stream().map(Tensor::name).collect(Collectors.joining(", ")))
          .append(')');
      if (!n.device().isEmpty()) {
        b.append(" @").append(n.device());
      }
      String extra = note.apply(n);
      if (!extra.isEmpty()) {
        b.append("  ").append(extra);
      }
      b.append('\n');
    }
    out.print(b);
    out.flush();
  }
}
