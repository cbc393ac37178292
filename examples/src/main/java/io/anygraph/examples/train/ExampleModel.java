package io.anygraph.examples.train;

import io.anygraph.core.Session;
import io.anygraph.data.Dataset;
import io.anygraph.spark.exec.ShardedData;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One example model of {@code bin/anygraph}: its graph, its data and its metric. Everything else
 * (the options, both runners, checkpoints and resume rules, progress, the JSON summary, the logdir,
 * the one-line refusals) is the shared {@link TrainCommand}'s, so each model answers alike.
 *
 * <pre>{@code
 * Main: add(TrainOptions.declare(model), (values, out) -> TrainCommand.run(model, values, out));
 * }</pre>
 *
 * @param <M> the model's graph
 */
public interface ExampleModel<M extends ModelGraph> {
  /** Defaults of the shared options that differ between models. */
  record Defaults(String epochs, String batch, String learningRate) {}

  /** The command's name: {@code mnist}. */
  String name();

  /** One line for {@code anygraph help}. */
  String summary();

  /** What one example is called, plural, in help and output: {@code digits}. */
  String examples();

  /** The optimizer whose learning rate {@code --lr} sets, for its help line: {@code Adam}. */
  String optimizer();

  Defaults defaults();

  /** The help line of {@code --data DIR}; null when the model has no such option. */
  String dataHelp();

  /** The model's graph, its initial parameters drawn from {@code seed}. */
  M build(long seed, double learningRate);

  /** How {@link ModelGraph#evaluation} sums become the held-out figure. */
  Metric metric();

  /** The training and held-out examples the options ask for. */
  TrainingData load(TrainOptions options) throws IOException;

  /**
   * The training examples as cached blocks of a Spark cluster; by default the driver's examples in
   * {@code partitions} blocks of equal size (a model whose data lives in files may read them in the
   * executors instead).
   */
  default ShardedData onSpark(
      JavaSparkContext sc, TrainOptions options, TrainingData data, int partitions)
      throws IOException {
    return ShardedData.of(sc, data.train(), partitions);
  }

  /**
   * After the last epoch, with the trained parameters in {@code session} (on whichever runner
   * trained them) and the command's {@code options}: whatever the model shows beyond the loss and
   * its metric (a language model's sampled lines, a recommender's bytes per step), printed to
   * {@code out}, and the fields it adds to the JSON summary. Nothing by default.
   */
  default Map<String, Object> afterTraining(
      Session session, M model, TrainOptions options, Dataset heldOut, PrintStream out) {
    return Map.of();
  }
}
