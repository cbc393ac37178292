package io.anygraph.examples.score;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.DType;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.data.Mnist;
import io.anygraph.data.io.Directories;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.Destinations;
import io.anygraph.examples.cli.JsonSummary;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.examples.mnist.MnistExample;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.Training;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.frame.GraphScorer;
import io.anygraph.spark.ship.GraphModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code anygraph score-mnist}: writes the test digits as Parquet, reads them back as a DataFrame,
 * scores it on Spark with the MNIST CNN (trained here for an epoch, or restored from {@code
 * --checkpoint}) and reports the accuracy beside the local session's on the same digits and
 * weights. They must be equal; the command fails if they are not.
 */
public final class ScoreMnistCommand {
  /** What the command reports (also as JSON). */
  public record Result(
      String master,
      int digits,
      long correctSpark,
      long correctLocal,
      GraphScorer.Metrics metrics,
      String parquet) {
    public double accuracySpark() {
      return (double) correctSpark / digits;
    }

    public double accuracyLocal() {
      return (double) correctLocal / digits;
    }
  }

  private ScoreMnistCommand() {}

  /** Runs the command with parsed options; 1 when Spark's and the local accuracy differ. */
  public static int run(OptionValues options, PrintStream out) throws IOException {
    ScoreOptions o = ScoreOptions.of(options);
    Destinations.checkExistingFolder("--data", o.dataDir());
    Destinations.checkExistingFolder("--checkpoint", o.checkpoint());
    Destinations.checkFolder("--parquet", o.parquet());
    Destinations.checkFile("--json", o.json());
    SparkMaster.checkReachable("--master", SparkMaster.effective(o.master()));
    Result r = score(o, out);
    out.printf(
        "Spark accuracy %.4f (%d of %d), local session %.4f (%d): %s%n",
        r.accuracySpark(),
        r.correctSpark(),
        r.digits(),
        r.accuracyLocal(),
        r.correctLocal(),
        r.correctSpark() == r.correctLocal() ? "equal" : "DIFFERENT");
    out.printf(
        "%d rows in %d batches; %d session(s) built on the executors%n",
        r.metrics().rows(), r.metrics().batches(), r.metrics().sessionsBuilt());
    if (o.json() != null) {
      writeJson(Path.of(o.json()), r);
    }
    return r.correctSpark() == r.correctLocal() ? 0 : 1;
  }

  public static Result score(ScoreOptions o, PrintStream out) throws IOException {
    String dataDir = o.dataDir() != null ? o.dataDir() : Mnist.defaultDir();
    Mnist data = Mnist.load(dataDir);
    Path scratch = Files.createTempDirectory("anygraph-score-mnist");
    try {
      String checkpoints = o.checkpoint();
      TrainOptions train =
          MnistExample.options(
              new String[] {
                "--epochs",
                String.valueOf(o.epochs()),
                "--seed",
                String.valueOf(o.seed()),
                "--data",
                dataDir,
                "--checkpoint",
                checkpoints == null ? scratch.resolve("ckpt").toString() : checkpoints
              });
      Training<MnistCnn> training = new Training<>(new MnistExample(), train, out);
      if (checkpoints == null) {
        out.printf(
            "training the CNN locally for %d epoch(s) (or give --checkpoint DIR) ...%n",
            o.epochs());
        training.run(data.train(), data.test());
        checkpoints = scratch.resolve("ckpt").toString();
      }
      MnistCnn cnn = training.model();
      Tensor prediction =
          cnn.graph.withName("prediction").cast(cnn.graph.ops().argMax(cnn.logits, 1), DType.INT32);
      try (Session session = new Session(cnn.graph)) {
        long step =
            Checkpoint.restoreLatest(session, Directories.open(checkpoints))
                .orElseThrow(
                    () ->
                        CommandFailure.failed(
                            "--checkpoint " + o.checkpoint(),
                            "holds no checkpoint (ckpt-N folders of anygraph mnist --checkpoint)"));
        out.printf("model: checkpoint of step %d in %s%n", step, checkpoints);
        long correctLocal =
            Math.round(training.evaluate(session, data.test()) * data.test().size());
        GraphScorer scorer =
            GraphScorer.of(GraphModel.of(session))
                .feed("pixels", cnn.images.node().name())
                .fetch("predicted", prediction.name())
                .batchSize(o.batch());
        String parquet =
            o.parquet() != null ? o.parquet() : scratch.resolve("t10k.parquet").toUri().toString();
        return scoreOnSpark(o, data, scorer, parquet, correctLocal, out);
      }
    } finally {
      deleteTree(scratch);
    }
  }

  private static Result scoreOnSpark(
      ScoreOptions o,
      Mnist data,
      GraphScorer scorer,
      String parquet,
      long correctLocal,
      PrintStream out)
      throws IOException {
    SparkConf conf = SparkSetup.conf("anygraph score-mnist");
    if (o.master() != null) {
      conf.setMaster(o.master());
    }
    try (SparkSession spark =
        SparkMaster.startSession("--master", conf.get("spark.master", null), conf)) {
      spark.sparkContext().setJobDescription("score-mnist: write the test digits as Parquet");
      DigitFrames.of(spark, data.test(), Math.max(8, o.partitions()))
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(parquet);
      spark.sparkContext().setJobDescription("score-mnist: score the Parquet digits with the CNN");
      var digits = spark.read().parquet(parquet).repartition(o.partitions());
      Row counts =
          scorer
              .score(digits)
              .agg(
                  functions.count("*"),
                  functions.sum(
                      functions
                          .when(functions.col("predicted").equalTo(functions.col("label")), 1)
                          .otherwise(0)))
              .first();
      out.printf(
          "scored %d digits from %s on %s%n",
          counts.getLong(0), parquet, spark.sparkContext().master());
      return new Result(
          spark.sparkContext().master(),
          (int) counts.getLong(0),
          counts.getLong(1),
          correctLocal,
          scorer.metrics(),
          parquet);
    }
  }

  static void writeJson(Path file, Result r) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", "score-mnist");
    json.put("master", r.master());
    json.put("digits", r.digits());
    json.put("accuracy_spark", r.accuracySpark());
    json.put("accuracy_local", r.accuracyLocal());
    json.put("correct_spark", r.correctSpark());
    json.put("correct_local", r.correctLocal());
    json.put("rows_scored", r.metrics().rows());
    json.put("batches", r.metrics().batches());
    json.put("sessions_built", r.metrics().sessionsBuilt());
    json.put("parquet", r.parquet());
    JsonSummary.write(file, json);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
