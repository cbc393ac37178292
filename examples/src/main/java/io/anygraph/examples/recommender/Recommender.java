package io.anygraph.examples.recommender;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.autodiff.IndexedSlices;
import io.anygraph.core.train.Adam;
import io.anygraph.examples.train.ModelGraph;
import java.util.List;

/**
 * A neural rating model (embeddings + MLP, as in He et al.'s neural collaborative filtering): the
 * user's and the item's {@value #DIM}-wide embeddings, looked up from the two columns of a [batch,
 * 2] int32 (user, item) feature, are concatenated and passed through a {@value #HIDDEN}-unit relu
 * layer to one output, to which a global bias and per-user and per-item biases (one-wide
 * embeddings) are added:
 *
 * <pre>
 *   rating(u, i) = mlp([P_u, Q_i]) + b_u + b_i + mu
 * </pre>
 *
 * The loss is the mean squared error against the float32 ratings; the held-out evaluation is the
 * summed squared error, which {@link io.anygraph.examples.train.Metric#rmse} turns into RMSE.
 * Trained by Adam: the four tables' gradients are sparse (the looked-up rows and their ids), and
 * Adam updates only the rows a step touched.
 */
public final class Recommender implements ModelGraph {
  /** Width of the user and item embeddings. */
  public static final int DIM = 16;

  /** Units of the hidden relu layer. */
  public static final int HIDDEN = 32;

  private final Graph graph = new Graph();
  private final Tensor pairs;
  private final Tensor ratings;
  private final List<Variable> tables;
  private final Tensor predicted;
  private final Tensor loss;
  private final Tensor squaredError;
  private final Tensor train;
  private final List<IndexedSlices> tableGradients;

  /**
   * The model for ids below {@code users} and {@code items}, computing in {@code dtype} (the
   * ratings are cast to it; float64 lets tests compare runners tightly), its parameters drawn from
   * {@code seed}, starting at the global bias {@code mean}.
   */
  public Recommender(
      int users, int items, double mean, long seed, double learningRate, DType dtype) {
    graph.setSeed(seed);
    try (Scope s = graph.sharded()) { // split across devices or Spark tasks in data-parallel runs
      pairs = graph.placeholder(DType.INT32, Shape.of(-1, 2), "pairs");
      ratings = graph.placeholder(DType.FLOAT32, Shape.of(-1), "ratings");
    }
    Variable userEmbedding;
    Variable itemEmbedding;
    Variable userBias;
    Variable itemBias;
    try (Scope s = graph.nameScope("embeddings")) {
      userEmbedding = table(dtype, users, DIM, "users");
      itemEmbedding = table(dtype, items, DIM, "items");
      userBias = graph.variable(graph.ops().zeros(dtype, users, 1), "user_bias");
      itemBias = graph.variable(graph.ops().zeros(dtype, items, 1), "item_bias");
    }
    tables = List.of(userEmbedding, itemEmbedding, userBias, itemBias);
    Variable hiddenWeights;
    Variable hiddenBias;
    Variable outWeights;
    Variable globalBias;
    try (Scope s = graph.nameScope("mlp")) {
      // He initialization for the relu layer, Glorot-sized for the linear output
      hiddenWeights =
          graph.variable(
              graph.random().normal(dtype, Shape.of(2 * DIM, HIDDEN), 0, Math.sqrt(1.0 / DIM)),
              "hidden/weights");
      hiddenBias = graph.variable(graph.ops().zeros(dtype, HIDDEN), "hidden/bias");
      outWeights =
          graph.variable(
              graph.random().normal(dtype, Shape.of(HIDDEN, 1), 0, Math.sqrt(1.0 / HIDDEN)),
              "out/weights");
      globalBias = graph.variable(graph.ops().fill(dtype, Shape.of(1), mean), "global_bias");
    }
    try (Scope s = graph.nameScope("predict")) {
      Tensor user = column(0);
      Tensor item = column(1);
      Tensor joined =
          graph
              .ops()
              .concat(
                  List.of(
                      graph.nn().embeddingLookup(userEmbedding, user),
                      graph.nn().embeddingLookup(itemEmbedding, item)),
                  1); // [batch, 2 * DIM]
      Tensor hidden = graph.nn().relu(graph.nn().biasAdd(joined.matmul(hiddenWeights), hiddenBias));
      Tensor biases =
          graph
              .nn()
              .embeddingLookup(userBias, user)
              .add(graph.nn().embeddingLookup(itemBias, item)); // [batch, 1]
      predicted = hidden.matmul(outWeights).add(biases).add(globalBias).reshape(-1);
    }
    try (Scope s = graph.nameScope("loss")) {
      Tensor error = predicted.sub(ratings.cast(dtype)).square();
      loss = error.mean();
      squaredError = error.sum();
    }
    train = new Adam(learningRate).minimize(loss);
    tableGradients =
        tables.stream()
            .map(
                t ->
                    IndexedSlices.of(graph.grad(loss, t))
                        .orElseThrow(
                            () -> new IllegalStateException(t.name() + "'s gradient is dense")))
            .toList();
  }

  private Variable table(DType dtype, long rows, long width, String name) {
    return graph.variable(graph.random().normal(dtype, Shape.of(rows, width), 0, 0.1), name);
  }

  /** Column {@code c} of the (user, item) pairs: ids [batch]. */
  private Tensor column(int c) {
    return graph.ops().slice(pairs, new long[] {0, c}, new long[] {-1, 1}).reshape(-1);
  }

  /** The user and item embeddings and the user and item biases, in that order. */
  public List<Variable> tables() {
    return tables;
  }

  /**
   * The sparse gradients of the loss with respect to {@link #tables()}, in the same order: rows and
   * ids as a training step computes and exchanges them.
   */
  public List<IndexedSlices> tableGradients() {
    return tableGradients;
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public Tensor features() {
    return pairs;
  }

  @Override
  public Tensor labels() {
    return ratings;
  }

  @Override
  public Tensor train() {
    return train;
  }

  @Override
  public Tensor loss() {
    return loss;
  }

  /** The predicted ratings, [batch]. */
  @Override
  public Tensor prediction() {
    return predicted;
  }

  /** The batch's summed squared error. */
  @Override
  public Tensor evaluation() {
    return squaredError;
  }
}
