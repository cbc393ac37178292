package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.spark.LocalSpark;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * {@code bind} maps the blocks' columns to sharded placeholders and refuses, before any job, a
 * mapping it could not run: each message names the column and the tensor.
 */
class SparkRunnerBindTest {
  private final JavaSparkContext sc = LocalSpark.context();
  private final SparkRunnerTest.Net n = SparkRunnerTest.net();
  private final ShardedData data = ShardedData.of(sc, SparkRunnerTest.data(10, 5), 5, 5);

  private AnygraphException refused(Map<String, Tensor> columns) {
    try (SparkRunner runner = new SparkRunner(n.g(), sc)) {
      return assertThrows(AnygraphException.class, () -> runner.bind(data, columns));
    }
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void aColumnTheBlocksDoNotHaveIsNamedWithTheColumnsTheyHave() {
    assertMentions(
        refused(Map.of("images", n.x(), "labels", n.y())), "'images'", "x", "[features, labels]");
  }

  @Test
  void onlyShardedPlaceholdersOfTheRunnersGraphCanReadAColumn() {
    Tensor unsharded = n.g().placeholder(DType.FLOAT32, Shape.of(-1, 5), "plain");
    assertMentions(refused(Map.of("features", unsharded)), "g.sharded()", "plain", "'features'");
    assertMentions(refused(Map.of("labels", n.loss())), "g.sharded()", n.loss().name(), "'labels'");
    Graph other = new Graph();
    Tensor elsewhere;
    try (var s = other.sharded()) {
      elsewhere = other.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
    }
    assertMentions(refused(Map.of("features", elsewhere)), "'features'", "another graph");
  }

  @Test
  void onePlaceholderCannotReadTwoColumnsNorNoneBeBound() {
    assertMentions(
        refused(Map.of("features", n.x(), "labels", n.x())), "'features'", "'labels'", "x");
    assertMentions(refused(Map.of()), "at least one column", "[features, labels]");
    Map<String, Tensor> withNull = new HashMap<>();
    withNull.put("labels", null);
    assertMentions(refused(withNull), "'labels'", "null");
  }

  @Test
  void theColumnsMayComeInAnyOrderAndSelectingNeedsABinding() {
    Map<String, Tensor> labelsFirst = new LinkedHashMap<>();
    labelsFirst.put("labels", n.y());
    labelsFirst.put("features", n.x());
    try (SparkRunner runner = new SparkRunner(n.g(), sc)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> runner.select(1, 4, 0));
      assertMentions(e, "bind(data, columns)");
      runner.bind(data, labelsFirst).select(1, 4, 0);
      assertEquals(4, runner.selectedRows());
    }
  }
}
