package io.anygraph.examples.train;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import java.util.Map;

/**
 * A model's training graph as the shared training program sees it: two sharded placeholders that
 * read a {@link io.anygraph.data.Dataset}'s columns, the update, the loss, and the sum over a batch
 * that the model's {@link Metric} turns into its held-out figure.
 *
 * <pre>{@code
 * class MyNet implements ModelGraph {
 *   public Graph graph() { return graph; }
 *   public Tensor features() { return inputs; }  // [batch, ...], in graph.sharded()
 *   public Tensor labels() { return targets; }   // [batch, ...], in graph.sharded()
 *   public Tensor train() { return optimizer.minimize(loss); }
 *   public Tensor loss() { return loss; }        // mean over the batch
 *   public Tensor prediction() { return logits; } // from the features alone
 *   public Tensor evaluation() { return correct; } // summed over the batch
 * }
 * }</pre>
 */
public interface ModelGraph {
  Graph graph();

  /** The placeholder fed with a batch's features (the dataset's {@code features} column). */
  Tensor features();

  /** The placeholder fed with a batch's labels or targets ({@code labels} column). */
  Tensor labels();

  /** One optimizer step on every parameter. */
  Tensor train();

  /** The mean loss over the batch, reported per step and per epoch. */
  Tensor loss();

  /**
   * The inference output computed from {@link #features()} alone (e.g. logits): what {@code
   * --export-onnx} writes.
   */
  Tensor prediction();

  /**
   * A scalar summed over the batch (correct predictions, summed cross-entropy), so batches of a
   * held-out set add up; {@link Metric#value} turns the total into the reported figure.
   */
  Tensor evaluation();

  /** Placeholders by dataset column, as a Spark runner binds them to its cached blocks. */
  default Map<String, Tensor> columns() {
    return Map.of("features", features(), "labels", labels());
  }

  /** The name recorded in checkpoints: a resume with another model is refused. */
  default String modelName() {
    return getClass().getSimpleName();
  }
}
