package io.anygraph.examples.train;

import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Runner;
import io.anygraph.partition.Plan;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedData;
import io.anygraph.spark.exec.SparkRunner;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Training on Spark: the examples live in the executors as cached blocks; each step selects its
 * batch there and feeds nothing from the driver. Batches are the ones {@link LocalTraining} makes
 * from the same seed, so both runners train to the same parameters (up to float rounding).
 */
public final class SparkTraining implements TrainingBackend {
  private final ShardedData train;
  private final SparkRunner runner;
  private final JavaSparkContext sc;

  public SparkTraining(ModelGraph model, JavaSparkContext sc, ShardedData train) {
    this.sc = sc;
    this.train = train;
    this.runner = new SparkRunner(model.graph(), sc).bind(train, model.columns());
  }

  /**
   * Applies the command's Spark options: {@code --exchange} and {@code --steps-per-job} (those not
   * given leave the Spark configuration's).
   */
  public SparkTraining configure(TrainOptions options) {
    if (options.exchange() != null) {
      runner.exchange(Exchange.parse(options.exchange()));
    }
    if (options.stepsPerJob() > 0) {
      runner.stepsPerJob(options.stepsPerJob());
    }
    return this;
  }

  @Override
  public Runner runner() {
    return runner;
  }

  public SparkRunner sparkRunner() {
    return runner;
  }

  @Override
  public long size() {
    return train.size();
  }

  @Override
  public Iterable<Step> epoch(long seed, int batchSize) {
    return epoch(seed, batchSize, Long.MAX_VALUE);
  }

  @Override
  public Iterable<Step> epoch(long seed, int batchSize, long limit) {
    int steps = (int) Math.min(limit, (train.size() + batchSize - 1) / batchSize);
    return () ->
        new Iterator<>() {
          private int next = 0;

          @Override
          public boolean hasNext() {
            return next < steps;
          }

          @Override
          public Step next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            runner.select(seed, batchSize, next++, steps); // a group of steps ends with these
            return new Step(Map.of(), runner.selectedRows());
          }
        };
  }

  @Override
  public Plan plan(List<Tensor> fetches, Set<Tensor> fed) {
    return runner.plan(fetches, fed);
  }

  @Override
  public String describe() {
    return "spark " + sc.master() + ", " + train.partitions() + " partitions";
  }
}
