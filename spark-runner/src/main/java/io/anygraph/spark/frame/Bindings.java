package io.anygraph.spark.frame;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import org.apache.spark.sql.types.StructType;

/** Look-ups shared by feeds and fetches, failing with messages that name what was asked. */
final class Bindings {
  private Bindings() {}

  static Tensor tensor(Graph g, String name, String role) {
    if (!names(g, name)) {
      throw new AnygraphException(
          "Cannot " + role + " '" + name + "': no such tensor in the graph");
    }
    return g.tensor(name);
  }

  /** Whether {@code name} ({@code "images"} or {@code "node:1"}) names a node of {@code g}. */
  static boolean names(Graph g, String name) {
    return g.hasNode(name.contains(":") ? name.substring(0, name.lastIndexOf(':')) : name);
  }

  /** {@code 'images' (placeholder, float32[?,784])}, as feed errors name tensors. */
  static String describe(Tensor t) {
    return "'"
        + t.node().name()
        + "'"
        + (t.index() == 0 ? "" : " output " + t.index())
        + " ("
        + t.op()
        + ", "
        + t.type()
        + ")";
  }

  static int column(StructType schema, String column) {
    for (int i = 0; i < schema.fields().length; i++) {
      if (schema.fields()[i].name().equals(column)) {
        return i;
      }
    }
    throw new AnygraphException(
        "No column '" + column + "' among " + Arrays.toString(schema.fieldNames()));
  }
}
