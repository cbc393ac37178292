package io.anygraph.examples.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
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
 * unequal blocks (batch statistics over the whole batch) equal the local runner's. In float64,
 * because float32 is no reference at this tolerance. Measured on the local runner with this test's
 * data and options (2026-12-06, batch normalization on the shards): after the three steps, float64
 * parameters on one and three devices differ by 1.1e-12; float32 ones by 4.3e-3, and float32 is
 * 5.2e-3 (one device) and 4.5e-3 (three devices) from float64. The float32 gradients of a single
 * step already differ from float64 by up to 5.7e-4 on one device ({@link ResnetDevicesTest}).
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
  void theParametersAreTheConvolutionsTheirBatchNormsAndTheDenseLayer() {
    List<String> names =
        new ResNet(1, 0.001)
            .graph().variables().stream()
                .filter(Variable::isTrainable)
                .map(Variable::name)
                .sorted()
                .toList();
    // stem: a conv and its batch norm's gamma and beta; block1: two of those; block2 three (its
    // projection too); block3 two; dense: weights and bias
    assertEquals(3 + 6 + 9 + 6 + 2, names.size(), names.toString());
    assertTrue(names.contains("block2/projection/weights:0"), names.toString());
    assertTrue(names.contains("block3/b/bn/beta:0"), names.toString());
    List<String> moving =
        new ResNet(1, 0.001)
            .graph().variables().stream()
                .filter(v -> !v.isTrainable())
                .map(Variable::name)
                .filter(n -> n.contains("/bn/moving"))
                .toList();
    assertEquals(2 * (1 + 2 + 3 + 2), moving.size(), moving.toString());
  }

  @Test
  void threeStepsOnUnequalBlocksEqualTheLocalRunner() throws IOException {
    SparkEquivalence.check(
        new ResnetExample(DType.FLOAT64),
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
