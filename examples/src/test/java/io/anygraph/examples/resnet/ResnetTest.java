package io.anygraph.examples.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Variable;
import io.anygraph.data.Mnist;
import io.anygraph.examples.train.SparkEquivalence;
import io.anygraph.spark.SparkSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The residual network: its parameters are the ones its design names, and three steps on Spark with
 * unequal blocks equal the local runner's. (How fast it learns is for when batch normalization
 * fills {@code ResNet.normalize}: without it, 72 steps reach only 24% test accuracy.)
 */
class ResnetTest {
  private static Mnist mnist;
  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    mnist = Mnist.load(Mnist.defaultDir());
    spark =
        SparkSetup.session(
            SparkSetup.conf("resnet-spark-test")
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theParametersAreTheBlocksConvolutionsShiftsAndTheDenseLayer() {
    List<String> names =
        new ResNet(1, 0.001)
            .graph().variables().stream()
                .filter(Variable::isTrainable)
                .map(Variable::name)
                .sorted()
                .toList();
    // stem: 1 conv + 1 shift; block1: 2 convs + 2 shifts; block2 and block3 likewise, block2 also
    // its projection (conv + shift); dense: weights and bias
    assertEquals(2 + 4 + 6 + 4 + 2, names.size(), names.toString());
    assertTrue(names.contains("block2/projection/weights:0"), names.toString());
    assertTrue(names.contains("block3/b/beta:0"), names.toString());
  }

  @Test
  void threeStepsOnUnequalBlocksEqualTheLocalRunner() throws IOException {
    SparkEquivalence.check(
        new ResnetExample(),
        JavaSparkContext.fromSparkContext(spark.sparkContext()),
        mnist.train().take(448),
        mnist.test().take(100),
        new int[] {250, 130, 68},
        0,
        tmp,
        "--epochs",
        "1",
        "--steps",
        "3",
        "--batch",
        "64",
        "--seed",
        "4");
  }
}
