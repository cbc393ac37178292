package io.anygraph.examples.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.autodiff.IndexedSlices;
import io.anygraph.data.Dataset;
import io.anygraph.data.ratings.SyntheticRatings;
import io.anygraph.examples.cli.CommandRun;
import io.anygraph.examples.train.SparkEquivalence;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.Training;
import io.anygraph.partition.Partitioner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.SparkSetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recommender: a few steps on Spark over unequal blocks equal the local runner's, a short run
 * beats predicting the mean rating, the bytes it reports for a step's embedding gradients are the
 * rows and ids worked out by hand, and no dense table-sized gradient crosses a boundary of the
 * data-parallel training plan.
 */
class RecommenderTest {
  /** 300 users, 200 items, 20 ratings each: 6,000 ratings, 600 held out. */
  private static final SyntheticRatings.Config SMALL =
      new SyntheticRatings.Config(300, 200, 4, 20, 0.25, 3);

  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark =
        SparkSetup.session(
            SparkSetup.conf("recommender-spark-test")
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static SyntheticRatings.Split small() {
    return SyntheticRatings.generate(SMALL)
        .split(RecommenderExample.HELD_OUT, RecommenderExample.SPLIT_SEED);
  }

  @Test
  void threeStepsOnUnequalBlocksEqualTheLocalRunner() throws IOException {
    SyntheticRatings.Split split = small();
    SparkEquivalence.check(
        new RecommenderExample(SMALL, DType.FLOAT32),
        JavaSparkContext.fromSparkContext(spark.sparkContext()),
        split.train().take(448),
        split.heldOut().take(100),
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

  @Test
  void aShortRunBeatsPredictingTheMeanRating() throws IOException {
    // 100 users rating 40 of 80 items each: dense enough for a few epochs to find the factors
    SyntheticRatings.Config dense = new SyntheticRatings.Config(100, 80, 4, 40, 0.25, 3);
    SyntheticRatings.Split split =
        SyntheticRatings.generate(dense)
            .split(RecommenderExample.HELD_OUT, RecommenderExample.SPLIT_SEED);
    RecommenderExample model = new RecommenderExample(dense, DType.FLOAT32);
    TrainOptions options =
        TrainOptions.parse(model, "--epochs", "3", "--batch", "64", "--lr", "0.02", "--seed", "2");
    Training.Result r =
        new Training<>(model, options, new PrintStream(new ByteArrayOutputStream()))
            .run(split.train(), split.heldOut());
    double meanRmse = rmseOfTheMean(split.train(), split.heldOut());
    // the ratings' spread is about 1.2 (biases 0.3 + 0.3, factors 1, noise 0.25); learned biases
    // and factors explain much of it
    assertTrue(meanRmse > 0.9, "predicting the mean misses by " + meanRmse);
    assertTrue(r.metric() < 0.85 * meanRmse, "test RMSE " + r.metric() + " vs mean's " + meanRmse);
    // trained without the command's load(): the bytes are still for a step of --batch 64
    assertEquals(64L, r.extras().get("embedding_gradient_batch"), r.extras().toString());
  }

  /** RMSE on {@code test} of always predicting the mean training rating. */
  private static double rmseOfTheMean(Dataset train, Dataset test) {
    float[] t = train.labels().dup().data().asFloat();
    double mean = 0;
    for (float v : t) {
      mean += v;
    }
    mean /= t.length;
    double squares = 0;
    float[] h = test.labels().dup().data().asFloat();
    for (float v : h) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / h.length);
  }

  @Test
  void aStepsGradientsAreRowsAndIdsNotTables() {
    Recommender m = new Recommender(300, 200, 3.5, 1, 0.01, DType.FLOAT32);
    // per example, one row of each table: 16 + 16 + 1 + 1 float32s and four int32 ids
    long batch = 64;
    long sparse = batch * ((16 + 16 + 1 + 1) * 4 + 4 * 4);
    // dense: the tables, [300, 16] + [200, 16] + [300, 1] + [200, 1] float32s
    long dense = (300 * 16 + 200 * 16 + 300 + 200) * 4;
    IndexedSlices.Bytes b = RecommenderExample.stepBytes(m, batch);
    assertEquals(sparse, b.sparse());
    assertEquals(dense, b.dense());
  }

  @Test
  void theCommandPrintsAndWritesTheBytes() throws IOException {
    Path json = tmp.resolve("r.json");
    CommandRun run =
        CommandRun.of(
            "recommender",
            "--epochs",
            "1",
            "--steps",
            "5",
            "--batch",
            "100",
            "--json",
            json.toString());
    assertEquals(0, run.exit(), run.err());
    // 4,000 users and 1,000 items: tables [4000, 16], [1000, 16], [4000, 1], [1000, 1] float32
    long sparse = 100 * (34 * 4 + 4 * 4);
    long dense = (5_000 * 16 + 5_000) * 4;
    assertTrue(run.out().contains(String.format("%,d B as rows + ids", sparse)), run.out());
    assertTrue(run.out().contains(String.format("%,d B as dense tables", dense)), run.out());
    JsonNode r = new ObjectMapper().readTree(Files.readString(json));
    assertEquals(sparse, r.get("embedding_gradient_bytes_sparse").asLong());
    assertEquals(dense, r.get("embedding_gradient_bytes_dense").asLong());
    assertEquals(100, r.get("embedding_gradient_batch").asLong());
    assertTrue(r.get("test_rmse").asDouble() > 0, r.toString());
  }

  @Test
  void noDenseTableCrossesTheTrainingPlansBoundaries() {
    Recommender m = new Recommender(300, 200, 3.5, 1, 0.01, DType.FLOAT32);
    Plan plan =
        Partitioner.plan(
            List.of(m.train(), m.loss()), Set.of(m.features(), m.labels()), Cluster.cpus(2), true);
    int gathered = 0;
    for (Boundary b : plan.boundaries()) {
      Shape s = b.type().shape();
      boolean tableSized = s.hasRank() && s.rank() == 2 && (s.dim(0) == 300 || s.dim(0) == 200);
      assertFalse(tableSized, "a dense table-sized value crosses: " + b);
      if (b.kind() == Boundary.Kind.ALL_GATHER) {
        gathered++;
      }
    }
    // the four tables' rows, and the two id columns (each shared by an embedding and a bias)
    assertTrue(gathered >= 6, "the rows and ids are all-gathered: " + plan.boundaries());
  }
}
