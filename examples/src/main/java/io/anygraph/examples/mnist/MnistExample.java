package io.anygraph.examples.mnist;

import io.anygraph.data.Mnist;
import io.anygraph.examples.train.ExampleModel;
import io.anygraph.examples.train.Metric;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.TrainingData;
import io.anygraph.spark.exec.ShardedData;
import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code anygraph mnist}: the {@link MnistCnn} on the shipped digits (or IDX files of {@code
 * --data}), reporting test accuracy. On Spark the executors read the training digits from the files
 * themselves, so they never pass through the driver.
 */
public final class MnistExample implements ExampleModel<MnistCnn> {
  @Override
  public String name() {
    return "mnist";
  }

  @Override
  public String summary() {
    return "trains the MNIST CNN on the shipped digits (--epochs N --json out.json)";
  }

  @Override
  public String examples() {
    return "digits";
  }

  @Override
  public String optimizer() {
    return "Adam";
  }

  @Override
  public Defaults defaults() {
    return new Defaults("10", "64", "0.001");
  }

  @Override
  public String dataHelp() {
    return "folder (or Hadoop URI) of the IDX files (default: shipped)";
  }

  @Override
  public MnistCnn build(long seed, double learningRate) {
    return new MnistCnn(seed, learningRate);
  }

  @Override
  public Metric metric() {
    return Metric.accuracy("test accuracy", "test_accuracy");
  }

  @Override
  public TrainingData load(TrainOptions options) throws IOException {
    return digits(options);
  }

  @Override
  public ShardedData onSpark(
      JavaSparkContext sc, TrainOptions options, TrainingData data, int partitions)
      throws IOException {
    return digitsOnSpark(sc, options, partitions);
  }

  /** The digits of {@code --data} (default: the shipped ones), for every model trained on them. */
  public static TrainingData digits(TrainOptions options) throws IOException {
    String dir = dataDir(options);
    Mnist data = Mnist.load(dir);
    return new TrainingData(data.train(), data.test(), "MNIST from " + dir);
  }

  /** The training digits of {@code --data} read by Spark's executors into cached blocks. */
  public static ShardedData digitsOnSpark(JavaSparkContext sc, TrainOptions options, int partitions)
      throws IOException {
    return ShardedData.idx(sc, Mnist.pair(dataDir(options), "train"), partitions);
  }

  /** The options of {@code anygraph mnist ARGS}, for code that trains as the command does. */
  public static TrainOptions options(String... args) {
    return TrainOptions.parse(new MnistExample(), args);
  }

  private static String dataDir(TrainOptions options) {
    return options.dataDir() != null ? options.dataDir() : Mnist.defaultDir();
  }
}
