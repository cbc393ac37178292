package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import io.anygraph.data.Dataset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The check of {@link SparkRunner#bind}: columns of the training blocks ({@link Dataset#COLUMNS})
 * mapped to sharded placeholders of the runner's graph, one column each, refused before any job
 * with the column and the tensor named.
 */
final class BoundColumns {
  private BoundColumns() {}

  /** Placeholder → column, in the order of {@link Dataset#COLUMNS} whatever the map's. */
  static Map<Tensor, String> byPlaceholder(Graph graph, Map<String, Tensor> columns) {
    if (columns.isEmpty()) {
      throw new AnygraphException(
          "bind needs at least one column of " + Dataset.COLUMNS + " mapped to a placeholder");
    }
    for (Map.Entry<String, Tensor> e : columns.entrySet()) {
      check(graph, e.getKey(), e.getValue());
    }
    Map<Tensor, String> byPlaceholder = new LinkedHashMap<>();
    for (String column : Dataset.COLUMNS) {
      Tensor t = columns.get(column);
      String earlier = t == null ? null : byPlaceholder.put(t, column);
      if (earlier != null) {
        throw new AnygraphException(
            "Columns '"
                + earlier
                + "' and '"
                + column
                + "' are both bound to "
                + t.name()
                + "; a placeholder reads one column");
      }
    }
    return byPlaceholder;
  }

  private static void check(Graph graph, String column, Tensor t) {
    if (t == null) {
      throw new AnygraphException("Column '" + column + "' is bound to null, not a placeholder");
    }
    if (!Dataset.COLUMNS.contains(column)) {
      throw new AnygraphException(
          "No column '"
              + column
              + "' to bind to "
              + t.name()
              + " (op "
              + t.op()
              + "): training blocks have the columns "
              + Dataset.COLUMNS);
    }
    if (t.graph() != graph) {
      throw new AnygraphException(
          "Column '"
              + column
              + "' is bound to "
              + t.name()
              + ", a tensor of another graph than this runner's");
    }
    if (!t.node().op().equals(OpNames.PLACEHOLDER) || !t.node().attrs().has(Graph.SHARD_AXIS)) {
      throw new AnygraphException(
          "Only placeholders made in g.sharded() can be bound to"
              + " training blocks, not "
              + t.name()
              + " (op "
              + t.op()
              + ", column '"
              + column
              + "')");
    }
  }
}
