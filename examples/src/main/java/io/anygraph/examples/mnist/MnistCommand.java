package io.anygraph.examples.mnist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.anygraph.local.data.Mnist;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exec.ShardedData;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code anygraph mnist}: trains the MNIST CNN and reports accuracy, loss and throughput. */
public final class MnistCommand {
  private MnistCommand() {}

  public static int run(String[] args, PrintStream out) throws IOException {
    TrainOptions options;
    try {
      options = TrainOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("anygraph mnist: " + e.getMessage());
      return 2;
    }
    String dir = options.dataDir() != null ? options.dataDir() : Mnist.defaultDir();
    Mnist data = Mnist.load(dir);
    MnistTraining training = new MnistTraining(options, out);
    MnistTraining.Result r;
    if (options.runner().equals("spark")) {
      r = onSpark(options, training, dir, data, out);
    } else {
      out.printf("MNIST from %s: %d training and %d test digits; runner %s, %d epochs of batch %d%n",
          dir, data.train().size(), data.test().size(),
          "local" + (options.devices() > 1 ? ", " + options.devices() + " devices" : ""),
          options.epochs(), options.batchSize());
      r = training.run(data.train(), data.test());
    }
    out.printf("test accuracy %.4f, final loss %.4f, %.0f training samples/s, parameters %s%n",
        r.testAccuracy(), r.finalLoss(), r.trainSamplesPerSecond(), r.parameterChecksum());
    if (options.json() != null) {
      writeJson(Path.of(options.json()), options, r);
    }
    if (options.logdir() != null) {
      out.printf("graph and curves in %s: bin/anygraph board --logdir %s%n", options.logdir(),
          options.logdir());
    }
    return 0;
  }

  /**
   * Trains on Spark: the master from {@code --master} unless spark-submit set one; the training
   * digits read by the executors into {@code --partitions} cached blocks; then the step times.
   */
  private static MnistTraining.Result onSpark(TrainOptions options, MnistTraining training,
      String dir, Mnist data, PrintStream out) throws IOException {
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.app.name", "anygraph mnist");
    conf.setIfMissing("spark.master", options.master());
    boolean shared = SparkSession.getActiveSession().isDefined(); // e.g. inside a notebook
    SparkSession spark = SparkSetup.session(conf);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int partitions = options.partitions() > 0 ? options.partitions() : sc.defaultParallelism();
      SparkTraining backend = new SparkTraining(training.model(), sc,
          ShardedData.mnist(sc, dir, "train", partitions));
      out.printf("MNIST from %s: %d training digits in the executors, %d test digits; runner %s,"
          + " %d epochs of batch %d%n", dir, backend.size(), data.test().size(), backend.describe(),
          options.epochs(), options.batchSize());
      MnistTraining.Result r = training.run(backend, data.test());
      double[] t = backend.sparkRunner().times().perStepMillis();
      out.printf("spark steps: %.1f ms each (compute %.1f, serialization %.1f, scheduling %.1f)%n",
          t[0], t[1], t[2], t[3]);
      return r;
    } finally {
      if (!shared) {
        spark.stop();
      }
    }
  }

  /** The result as JSON, written to a temporary file and renamed, so it is never half-written. */
  static void writeJson(Path file, TrainOptions options, MnistTraining.Result r) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", "mnist");
    json.put("runner", options.runner());
    if (options.runner().equals("spark")) {
      json.put("master", options.master());
    } else {
      json.put("devices", options.devices());
    }
    json.put("epochs", r.epochs());
    json.put("batch_size", options.batchSize());
    json.put("seed", options.seed());
    json.put("test_accuracy", r.testAccuracy());
    json.put("final_loss", r.finalLoss());
    json.put("train_samples_per_second", r.trainSamplesPerSecond());
    json.put("parameter_sha256", r.parameterChecksum());
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
    Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
