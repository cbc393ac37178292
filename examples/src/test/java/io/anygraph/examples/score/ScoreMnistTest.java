package io.anygraph.examples.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.data.io.HadoopDirectory;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.frame.GraphScorer;
import io.anygraph.spark.ship.GraphModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** score-mnist on local[2]: the DataFrame's accuracy is the local session's, exactly. */
class ScoreMnistTest {
  @TempDir static Path tmp;
  private static String checkpoints;

  @BeforeAll
  static void trainBriefly() throws IOException {
    System.setProperty(
        "spark.ui.enabled", "false"); // the command's SparkConf reads spark.* properties
    checkpoints = BriefCheckpoint.make(tmp.resolve("ckpt"));
  }

  private static SparkSession spark() {
    return SparkSetup.session(
        SparkSetup.conf("score-mnist-test").setMaster("local[2]").set("spark.ui.enabled", "false"));
  }

  @Test
  void sparkAndLocalAccuracyAgreeExactly() throws IOException {
    ScoreOptions o =
        ScoreOptions.parse(
            new String[] {
              "--master",
              "local[2]",
              "--checkpoint",
              checkpoints,
              "--partitions",
              "3",
              "--batch",
              "100",
              "--parquet",
              tmp.resolve("digits").toUri().toString()
            });
    ScoreMnistCommand.Result r =
        ScoreMnistCommand.score(o, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(2000, r.digits());
    assertEquals(r.correctLocal(), r.correctSpark());
    assertEquals(
        BriefCheckpoint.correctOnTestDigits(checkpoints), r.correctSpark()); // batches of 128 here
    assertTrue(r.accuracySpark() > 0.6 && r.accuracySpark() < 1, "accuracy " + r.accuracySpark());
    assertEquals(2000, r.metrics().rows());
    assertTrue(
        r.metrics().batches() >= 20 && r.metrics().batches() <= 22,
        "batches " + r.metrics().batches());
    assertTrue(
        tmp.resolve("digits").resolve("_SUCCESS").toFile().exists()); // the Parquet was written
  }

  private static GraphScorer scorer() throws IOException {
    MnistCnn cnn = new MnistCnn(2, 0.002);
    try (Session s = new Session(cnn.graph)) {
      Checkpoint.restoreLatest(s, HadoopDirectory.of(checkpoints));
      return GraphScorer.of(GraphModel.of(s))
          .feed("pixels", "images")
          .fetch("logits", cnn.logits.name());
    }
  }

  @Test
  void badDigitsFailNamingThePlaceholder() throws IOException {
    GraphScorer scorer = scorer();
    Dataset few = Mnist.load(Mnist.defaultDir()).test().take(50);
    try (SparkSession spark = spark()) {
      var digits = DigitFrames.of(spark, few, 2);
      var doubles = digits.withColumn("pixels", functions.col("pixels").cast("array<double>"));
      AnygraphException e = assertThrows(AnygraphException.class, () -> scorer.score(doubles));
      assertTrue(
          e.getMessage()
              .contains(
                  "'pixels' (array<double>) cannot feed 'images' (placeholder,"
                      + " float32[?, 784])"),
          e.getMessage());

      var cropped = digits.withColumn("pixels", functions.slice(functions.col("pixels"), 1, 783));
      SparkException job = assertThrows(SparkException.class, () -> scorer.score(cropped).count());
      assertTrue(
          job.getMessage()
                  .contains("Column 'pixels' feeding 'images' (placeholder, float32[?, 784])")
              && job.getMessage().contains("has 783 values; [784] per row needs 784"),
          job.getMessage());

      List<Row> ok = scorer.score(digits).select("logits").collectAsList();
      assertEquals(50, ok.size());
      assertEquals(10, ok.get(0).getList(0).size());
    }
  }
}
