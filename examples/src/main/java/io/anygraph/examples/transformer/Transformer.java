package io.anygraph.examples.transformer;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.AdamW;
import io.anygraph.examples.train.ModelGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-layer decoder-only transformer on characters (GPT's shape, Radford et al., 2018, in
 * miniature): token and learned position embeddings of width {@value #WIDTH}, two blocks of
 * pre-layer-norm causal self-attention with {@value #HEADS} heads and an MLP of {@code 4 * WIDTH}
 * relu units, each added to the residual stream, a final layer norm and logits over the vocabulary.
 * The loss is the mean cross-entropy of every position's next character; AdamW steps on gradients
 * clipped to a global norm of {@value #CLIP_NORM}.
 *
 * <p>Inputs are int32 [batch, {@code context}] character ids and the next characters as targets;
 * position {@code t} attends to positions {@code <= t} only, so a window shorter than the context
 * can be padded on the right without changing the logits before the padding.
 */
public final class Transformer implements ModelGraph {
  /** Width of the embeddings and the residual stream. */
  public static final int WIDTH = 32;

  /** Attention heads per block, each of width {@code WIDTH / HEADS}. */
  public static final int HEADS = 2;

  /** Transformer blocks. */
  public static final int LAYERS = 2;

  /** Global norm the gradients are clipped to before the step. */
  public static final double CLIP_NORM = 1.0;

  /** AdamW's decoupled weight decay. */
  public static final double WEIGHT_DECAY = 0.01;

  private static final double EPSILON = 1e-5;

  private final Graph graph = new Graph();
  private final DType dtype;
  private final int context;
  private final int vocabulary;
  private final Tensor ids;
  private final Tensor targets;
  private final Tensor logits;
  private final Tensor loss;
  private final Tensor summedCrossEntropy;
  private final Tensor train;

  /**
   * The model over {@code vocabulary} characters and windows of {@code context}, computing in
   * {@code dtype} (float64 lets tests compare runners beyond float32's rounding), its weights drawn
   * from {@code seed}.
   */
  public Transformer(long seed, double learningRate, int vocabulary, int context, DType dtype) {
    this.dtype = dtype;
    this.context = context;
    this.vocabulary = vocabulary;
    graph.setSeed(seed);
    try (Scope s = graph.sharded()) { // split across devices or Spark tasks in data-parallel runs
      ids = graph.placeholder(DType.INT32, Shape.of(-1, context), "ids");
      targets = graph.placeholder(DType.INT32, Shape.of(-1, context), "targets");
    }
    Tensor x;
    try (Scope s = graph.nameScope("embedding")) {
      Variable tokens = weight(Shape.of(vocabulary, WIDTH), 0.02, "tokens");
      Variable positions = weight(Shape.of(context, WIDTH), 0.02, "positions");
      x = graph.nn().embeddingLookup(tokens, ids).add(positions); // [batch, context, WIDTH]
    }
    for (int i = 1; i <= LAYERS; i++) {
      try (Scope s = graph.nameScope("block" + i)) {
        x = block(x);
      }
    }
    try (Scope s = graph.nameScope("output")) {
      Tensor h = norm(x, "norm").reshape(-1, WIDTH);
      Tensor w = weight(Shape.of(WIDTH, vocabulary), Math.sqrt(1.0 / WIDTH), "weights");
      Tensor flat = graph.nn().biasAdd(h.matmul(w), zeros(vocabulary, "bias"));
      logits = flat.reshape(-1, context, vocabulary);
    }
    try (Scope s = graph.nameScope("loss")) {
      Tensor perPosition =
          graph
              .nn()
              .sparseSoftmaxCrossEntropyWithLogits(
                  logits.reshape(-1, vocabulary), targets.reshape(-1));
      Tensor perWindow = perPosition.reshape(-1, context).mean(1); // [batch]
      loss = perWindow.mean();
      summedCrossEntropy = perWindow.sum();
    }
    List<Variable> params = new ArrayList<>();
    for (Variable v : graph.variables()) {
      if (v.isTrainable()) {
        params.add(v);
      }
    }
    List<Tensor> clipped =
        graph.ops().clipByGlobalNorm(graph.grad(loss, params), CLIP_NORM).tensors();
    train = new AdamW(learningRate, WEIGHT_DECAY).applyGradients(clipped, params);
  }

  /** {@code x + attention(norm(x))}, then {@code + mlp(norm(.))}. */
  private Tensor block(Tensor x) {
    Tensor attended;
    try (Scope s = graph.nameScope("attention")) {
      attended = x.add(selfAttention(norm(x, "norm")));
    }
    try (Scope s = graph.nameScope("mlp")) {
      Tensor h = norm(attended, "norm").reshape(-1, WIDTH);
      Tensor w1 = weight(Shape.of(WIDTH, 4 * WIDTH), Math.sqrt(2.0 / WIDTH), "weights1");
      Tensor hidden = graph.nn().relu(graph.nn().biasAdd(h.matmul(w1), zeros(4 * WIDTH, "bias1")));
      Tensor w2 = weight(Shape.of(4 * WIDTH, WIDTH), residualScale(4 * WIDTH), "weights2");
      Tensor out = graph.nn().biasAdd(hidden.matmul(w2), zeros(WIDTH, "bias2"));
      return attended.add(out.reshape(-1, context, WIDTH));
    }
  }

  /** Causal multi-head self-attention of h [batch, context, WIDTH]. */
  private Tensor selfAttention(Tensor h) {
    Tensor flat = h.reshape(-1, WIDTH);
    Tensor q = heads(flat.matmul(weight(Shape.of(WIDTH, WIDTH), Math.sqrt(1.0 / WIDTH), "query")));
    Tensor k = heads(flat.matmul(weight(Shape.of(WIDTH, WIDTH), Math.sqrt(1.0 / WIDTH), "key")));
    Tensor v = heads(flat.matmul(weight(Shape.of(WIDTH, WIDTH), Math.sqrt(1.0 / WIDTH), "value")));
    Tensor a = graph.nn().attention(q, k, v, null, true); // [batch, HEADS, context, WIDTH / HEADS]
    Tensor merged = a.transpose(0, 2, 1, 3).reshape(-1, WIDTH);
    Tensor out = merged.matmul(weight(Shape.of(WIDTH, WIDTH), residualScale(WIDTH), "output"));
    return out.reshape(-1, context, WIDTH);
  }

  /** [batch * context, WIDTH] as [batch, HEADS, context, WIDTH / HEADS]. */
  private Tensor heads(Tensor flat) {
    return flat.reshape(-1, context, HEADS, WIDTH / HEADS).transpose(0, 2, 1, 3);
  }

  private Tensor norm(Tensor x, String scope) {
    try (Scope s = graph.nameScope(scope)) {
      Variable gamma = graph.variable(graph.ops().ones(dtype, WIDTH), "gamma");
      return graph.nn().layerNorm(x, new int[] {-1}, gamma, zeros(WIDTH, "beta"), EPSILON);
    }
  }

  private Variable weight(Shape shape, double stddev, String name) {
    return graph.variable(graph.random().normal(dtype, shape, 0, stddev), name);
  }

  private Variable zeros(int size, String name) {
    return graph.variable(graph.ops().zeros(dtype, size), name);
  }

  /** A projection into the residual stream, scaled down by the depth as GPT-2 does. */
  private static double residualScale(int fanIn) {
    return Math.sqrt(1.0 / fanIn) / Math.sqrt(2.0 * LAYERS);
  }

  /** Characters per window, the length of the position table. */
  public int context() {
    return context;
  }

  /** Characters the logits range over. */
  public int vocabulary() {
    return vocabulary;
  }

  @Override
  public Graph graph() {
    return graph;
  }

  /** Character ids, int32 [batch, context]. */
  @Override
  public Tensor features() {
    return ids;
  }

  /** The next character of every position, int32 [batch, context]. */
  @Override
  public Tensor labels() {
    return targets;
  }

  @Override
  public Tensor train() {
    return train;
  }

  /** Mean cross-entropy over the batch's positions, in nats. */
  @Override
  public Tensor loss() {
    return loss;
  }

  /** Logits [batch, context, vocabulary]: position t's scores for character t + 1. */
  @Override
  public Tensor prediction() {
    return logits;
  }

  /** Each window's mean cross-entropy, summed over the batch (for {@code Metric.perplexity}). */
  @Override
  public Tensor evaluation() {
    return summedCrossEntropy;
  }
}
