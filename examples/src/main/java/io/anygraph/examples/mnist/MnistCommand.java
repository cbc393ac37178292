package io.anygraph.examples.mnist;

import io.anygraph.data.Mnist;
import io.anygraph.examples.cli.Destinations;
import io.anygraph.examples.cli.JsonSummary;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Refusals;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.local.kernels.NativeBuild;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** {@code anygraph mnist}: trains the MNIST CNN and reports accuracy, loss and throughput. */
public final class MnistCommand {
  private MnistCommand() {}

  /** Runs the command from its arguments; failures are reported as one line on stderr. */
  public static int run(String[] args, PrintStream out) {
    return Refusals.run(
        "mnist", false, System.err, () -> run(TrainOptions.OPTIONS.parse(args), out));
  }

  /** Runs the command with parsed options; every check on them happens before training. */
  public static int run(OptionValues values, PrintStream out) throws IOException {
    TrainOptions options = TrainOptions.of(values);
    Destinations.checkExistingFolder("--data", options.dataDir());
    Destinations.checkFile("--json", options.json());
    Destinations.checkFolder("--checkpoint", options.checkpointDir());
    Destinations.checkFolder("--logdir", options.logdir());
    String master = null;
    if (options.runner().equals("spark")) {
      master = SparkMaster.effective(options.master());
      SparkMaster.checkReachable("--master", master);
    }
    String dir = options.dataDir() != null ? options.dataDir() : Mnist.defaultDir();
    Mnist data = Mnist.load(dir);
    MnistTraining training = new MnistTraining(options, out);
    training.checkSizes(
        data.train().size(), data.test().size()); // Spark's blocks hold the same digits
    MnistTraining.Result r;
    if (master != null) {
      Ran ran;
      try {
        ran = onSpark(options, training, dir, data, out);
      } catch (RuntimeException e) {
        throw SparkMaster.unregistered(e, "--master", master);
      }
      r = ran.result();
      master = ran.master();
    } else {
      out.printf(
          "MNIST from %s: %d training and %d test digits; runner %s, %d epochs of batch %d%n",
          dir,
          data.train().size(),
          data.test().size(),
          "local" + (options.devices() > 1 ? ", " + options.devices() + " devices" : ""),
          options.epochs(),
          options.batchSize());
      out.println(NativeBuild.describe());
      r = training.run(data.train(), data.test());
    }
    if (r.stepsTrained() == 0) {
      out.printf(
          "test accuracy %.4f, parameters %s (no steps trained)%n",
          r.testAccuracy(), r.parameterChecksum());
    } else {
      out.printf(
          "test accuracy %.4f, final loss %.4f, %.0f training samples/s, parameters %s%n",
          r.testAccuracy(), r.finalLoss(), r.trainSamplesPerSecond(), r.parameterChecksum());
    }
    if (options.json() != null) {
      writeJson(Path.of(options.json()), options, master, r);
    }
    if (options.logdir() != null) {
      out.printf(
          "graph and curves in %s: bin/anygraph board --logdir %s%n",
          options.logdir(), options.logdir());
    }
    return 0;
  }

  /** A Spark run's result and the master it really ran on. */
  private record Ran(MnistTraining.Result result, String master) {}

  /**
   * Trains on Spark: the master from {@code --master} unless spark-submit set one; the training
   * digits read by the executors into {@code --partitions} cached blocks; then the step times.
   */
  private static Ran onSpark(
      TrainOptions options, MnistTraining training, String dir, Mnist data, PrintStream out)
      throws IOException {
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.app.name", "anygraph mnist");
    conf.setIfMissing("spark.master", options.master());
    boolean shared = SparkSession.getActiveSession().isDefined(); // e.g. inside a notebook
    SparkSession spark = SparkMaster.startSession("--master", conf.get("spark.master"), conf);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int partitions = options.partitions() > 0 ? options.partitions() : sc.defaultParallelism();
      SparkTraining backend =
          new SparkTraining(
              training.model(), sc, ShardedData.idx(sc, Mnist.pair(dir, "train"), partitions));
      if (options.exchange() != null) {
        backend.sparkRunner().exchange(Exchange.parse(options.exchange()));
      }
      out.printf(
          "MNIST from %s: %d training digits in the executors, %d test digits; runner %s,"
              + " %d epochs of batch %d%n",
          dir,
          backend.size(),
          data.test().size(),
          backend.describe(),
          options.epochs(),
          options.batchSize());
      out.println(NativeBuild.describe() + " (this driver; executors load the same build)");
      MnistTraining.Result r = training.run(backend, data.test());
      double[] t = backend.sparkRunner().times().perStepMillis();
      out.printf(
          "spark steps: %.1f ms each (compute %.1f, serialization %.1f, scheduling %.1f)%n",
          t[0], t[1], t[2], t[3]);
      return new Ran(r, sc.master());
    } finally {
      if (!shared) {
        spark.stop();
      }
    }
  }

  /** The result as JSON; {@code master} is the Spark master the run used (null: local runner). */
  static void writeJson(Path file, TrainOptions options, String master, MnistTraining.Result r)
      throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", "mnist");
    json.put("runner", options.runner());
    if (master != null) {
      json.put("master", master);
    } else {
      json.put("devices", options.devices());
    }
    json.put("epochs", r.epochs());
    json.put("batch_size", options.batchSize());
    json.put("seed", options.seed());
    json.put("test_accuracy", r.testAccuracy());
    json.put("final_loss", Double.isNaN(r.finalLoss()) ? null : r.finalLoss());
    json.put("train_samples_per_second", r.trainSamplesPerSecond());
    json.put("parameter_sha256", r.parameterChecksum());
    JsonSummary.write(file, json);
  }
}
