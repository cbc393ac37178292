package io.anygraph.examples.train;

import io.anygraph.examples.cli.Destinations;
import io.anygraph.examples.cli.JsonSummary;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Refusals;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.local.kernels.NativeBuild;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The command of every {@link ExampleModel} ({@code anygraph mnist}, ...): checks the options,
 * loads the model's data, trains on the local runner or on Spark, and reports the loss, the model's
 * metric and the throughput (and, with {@code --json}, a summary).
 */
public final class TrainCommand {
  private TrainCommand() {}

  /** Runs {@code model}'s command from its arguments; failures are one line on stderr. */
  public static int run(ExampleModel<?> model, String[] args, PrintStream out) {
    return Refusals.run(
        model.name(),
        false,
        System.err,
        () -> run(model, TrainOptions.declare(model).parse(args), out));
  }

  /** Runs the command with parsed options; every check on them happens before training. */
  public static int run(ExampleModel<?> model, OptionValues values, PrintStream out)
      throws IOException {
    TrainOptions options = TrainOptions.of(values);
    Destinations.checkExistingFolder("--data", options.dataDir());
    Destinations.checkFile("--json", options.json());
    Destinations.checkFolder("--checkpoint", options.checkpointDir());
    Destinations.checkFolder("--logdir", options.logdir());
    String onnx = values.path("--export-onnx");
    Destinations.checkFile("--export-onnx", onnx);
    String master = null;
    if (options.runner().equals("spark")) {
      master = SparkMaster.effective(options.master());
      SparkMaster.checkReachable("--master", master);
    } else {
      options.localOptions(); // a device asked for by name exists here
    }
    TrainingData data = model.load(options);
    Training<?> training = new Training<>(model, options, out);
    // Spark's blocks hold the same examples
    training.checkSizes(data.train().size(), data.test().size());
    if (onnx != null) {
      training.whenTrained(sess -> OnnxFile.write(sess, training.model(), Path.of(onnx), out));
    }
    Training.Result r;
    if (master != null) {
      Ran ran;
      try {
        ran = onSpark(options, training, data, out);
      } catch (RuntimeException e) {
        throw SparkMaster.unregistered(e, "--master", master);
      }
      r = ran.result();
      master = ran.master();
    } else {
      out.printf(
          "%s: %d training and %d test %s; runner %s, %d epochs of batch %d%n",
          data.source(),
          data.train().size(),
          data.test().size(),
          model.examples(),
          options.localRunner(),
          options.epochs(),
          options.batchSize());
      out.println(NativeBuild.describe());
      r = training.run(data.train(), data.test());
    }
    String metric = model.metric().name();
    if (r.stepsTrained() == 0) {
      out.printf(
          "%s %.4f, parameters %s (no steps trained)%n", metric, r.metric(), r.parameterChecksum());
    } else {
      out.printf(
          "%s %.4f, final loss %.4f, %.0f training samples/s, parameters %s%n",
          metric, r.metric(), r.finalLoss(), r.trainSamplesPerSecond(), r.parameterChecksum());
    }
    if (options.json() != null) {
      writeJson(Path.of(options.json()), model, options, master, r);
    }
    if (options.logdir() != null) {
      out.printf(
          "graph and curves in %s: bin/anygraph board --logdir %s%n",
          options.logdir(), options.logdir());
    }
    return 0;
  }

  /** A Spark run's result and the master it really ran on. */
  private record Ran(Training.Result result, String master) {}

  /**
   * Trains on Spark: the master from {@code --master} unless spark-submit set one; the training
   * examples in {@code --partitions} cached blocks ({@link ExampleModel#onSpark}); then the step
   * times.
   */
  private static Ran onSpark(
      TrainOptions options, Training<?> training, TrainingData data, PrintStream out)
      throws IOException {
    ExampleModel<?> model = training.spec();
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.app.name", "anygraph " + model.name());
    conf.setIfMissing("spark.master", options.master());
    boolean shared = SparkSession.getActiveSession().isDefined(); // e.g. inside a notebook
    SparkSession spark = SparkMaster.startSession("--master", conf.get("spark.master"), conf);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int partitions = options.partitions() > 0 ? options.partitions() : sc.defaultParallelism();
      SparkTraining backend =
          new SparkTraining(training.model(), sc, model.onSpark(sc, options, data, partitions));
      backend.configure(options);
      out.printf(
          "%s: %d training %s in the executors, %d test %s; runner %s, %d epochs of batch %d%n",
          data.source(),
          backend.size(),
          model.examples(),
          data.test().size(),
          model.examples(),
          backend.describe(),
          options.epochs(),
          options.batchSize());
      out.println(NativeBuild.describe() + " (this driver; executors load the same build)");
      Training.Result r = training.run(backend, data.test());
      double[] t = backend.sparkRunner().times().perStepMillis();
      out.printf(
          "spark steps: %.1f ms each (compute %.1f, serialization %.1f, scheduling %.1f),"
              + " exchange %s%s%n",
          t[0],
          t[1],
          t[2],
          t[3],
          backend.sparkRunner().lastStepExchange() == null
              ? "none"
              : backend.sparkRunner().lastStepExchange().label(),
          backend.sparkRunner().stepsPerJob() > 1
              ? ", " + backend.sparkRunner().stepsPerJob() + " steps per job"
              : "");
      return new Ran(r, sc.master());
    } finally {
      if (!shared) {
        spark.stop();
      }
    }
  }

  /** The result as JSON; {@code master} is the Spark master the run used (null: local runner). */
  static void writeJson(
      Path file, ExampleModel<?> model, TrainOptions options, String master, Training.Result r)
      throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", model.name());
    json.put("runner", options.runner());
    if (master != null) {
      json.put("master", master);
    } else {
      json.put("devices", options.devices());
    }
    json.put("epochs", r.epochs());
    json.put("batch_size", options.batchSize());
    json.put("seed", options.seed());
    json.put(model.metric().key(), r.metric());
    json.put("final_loss", Double.isNaN(r.finalLoss()) ? null : r.finalLoss());
    json.put("train_samples_per_second", r.trainSamplesPerSecond());
    json.put("parameter_sha256", r.parameterChecksum());
    json.putAll(r.extras());
    JsonSummary.write(file, json);
  }
}
