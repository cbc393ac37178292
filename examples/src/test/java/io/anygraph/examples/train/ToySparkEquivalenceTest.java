package io.anygraph.examples.train;

import io.anygraph.spark.SparkSetup;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness every example model's Spark test uses ({@link SparkEquivalence}), on the toy model:
 * two epochs of 5 steps on blocks of 90, 70 and 40 rows on {@code local[2]}.
 */
class ToySparkEquivalenceTest {
  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark =
        SparkSetup.session(
            SparkSetup.conf("toy-spark-test")
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void twoEpochsOnUnequalBlocksEqualTheLocalRunner() throws IOException {
    SparkEquivalence.check(
        new ToyModel(),
        JavaSparkContext.fromSparkContext(spark.sparkContext()),
        ToyModel.rows(200, 1),
        ToyModel.rows(50, 2),
        new int[] {90, 70, 40},
        1, // the held-out loss of ToyModel.afterTraining
        tmp,
        "--epochs",
        "2",
        "--steps",
        "5",
        "--seed",
        "6");
  }
}
