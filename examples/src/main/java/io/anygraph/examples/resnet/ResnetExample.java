package io.anygraph.examples.resnet;

import io.anygraph.core.DType;
import io.anygraph.examples.mnist.MnistExample;
import io.anygraph.examples.train.ExampleModel;
import io.anygraph.examples.train.Metric;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.TrainingData;
import io.anygraph.spark.exec.ShardedData;
import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code anygraph resnet}: the small residual network {@link ResNet} on the digits {@code mnist}
 * trains on (the shipped ones or {@code --data}), reporting test accuracy.
 */
public final class ResnetExample implements ExampleModel<ResNet> {
  private final DType dtype;

  /** The command's model: float32. */
  public ResnetExample() {
    this(DType.FLOAT32);
  }

  /** The model computing in {@code dtype} (tests: float64 shows exactness). */
  public ResnetExample(DType dtype) {
    this.dtype = dtype;
  }

  @Override
  public String name() {
    return "resnet";
  }

  @Override
  public String summary() {
    return "trains a small residual CNN on the shipped digits (--epochs N --json out.json)";
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
    return new Defaults("5", "64", "0.002");
  }

  @Override
  public String dataHelp() {
    return "folder (or Hadoop URI) of the IDX files (default: shipped)";
  }

  @Override
  public ResNet build(long seed, double learningRate) {
    return new ResNet(seed, learningRate, dtype);
  }

  @Override
  public Metric metric() {
    return Metric.accuracy("test accuracy", "test_accuracy");
  }

  @Override
  public TrainingData load(TrainOptions options) throws IOException {
    return MnistExample.digits(options);
  }

  @Override
  public ShardedData onSpark(
      JavaSparkContext sc, TrainOptions options, TrainingData data, int partitions)
      throws IOException {
    return MnistExample.digitsOnSpark(sc, options, partitions);
  }
}
