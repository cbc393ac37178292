package io.anygraph.examples.charlm;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.autodiff.IndexedSlices;
import io.anygraph.core.train.Adam;
import io.anygraph.examples.train.ModelGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A character-level LSTM language model: an embedding of the {@value #VOCAB} ASCII characters into
 * {@value #EMBEDDING} dimensions, one LSTM layer of {@value #HIDDEN} units run by {@code scan} over
 * the time-major inputs, and a dense layer back to the characters' logits. The loss is the mean
 * cross-entropy of every position's next character; Adam trains it on gradients clipped to a global
 * norm of {@value #CLIP_NORM} (the embedding's gradient stays sparse: its rows are clipped).
 *
 * <p>Beside the training graph, a sampling graph on the same weights: a {@code scan} over a prompt
 * gives the state, and a second {@code scan} feeds each sampled character back in for {@value
 * #SAMPLE_LENGTH} steps, so a whole line is one run.
 */
public final class CharLstm implements ModelGraph {
  /** Characters: {@code CharVocabulary.ASCII}. */
  public static final int VOCAB = 96;

  public static final int EMBEDDING = 32;
  public static final int HIDDEN = 64;

  /** Characters per training window. */
  public static final int WINDOW = 32;

  public static final double CLIP_NORM = 5.0;

  /** Characters generated after a prompt. */
  public static final int SAMPLE_LENGTH = 60;

  private final Graph graph = new Graph();
  private final DType dtype;
  private final Tensor chars;
  private final Tensor targets;
  private final Variable embedding;
  private final LstmCell cell;
  private final Variable denseWeights;
  private final Variable denseBias;
  private final Tensor logits;
  private final Tensor loss;
  private final Tensor crossEntropySum;
  private final Tensor train;
  private final Tensor prompt;
  private final Tensor sample;

  /** The model in float32, its weights drawn from {@code seed}. */
  public CharLstm(long seed, double learningRate) {
    this(seed, learningRate, DType.FLOAT32);
  }

  /** The model computing in {@code dtype} (float64 lets tests compare runners exactly). */
  public CharLstm(long seed, double learningRate, DType dtype) {
    this.dtype = dtype;
    graph.setSeed(seed);
    try (Scope s = graph.sharded()) { // split across devices or Spark tasks
      chars = graph.placeholder(DType.INT32, Shape.of(-1, WINDOW), "chars");
      targets = graph.placeholder(DType.INT32, Shape.of(-1, WINDOW), "targets");
    }
    try (Scope s = graph.nameScope("embedding")) {
      embedding =
          graph.variable(graph.random().normal(dtype, Shape.of(VOCAB, EMBEDDING), 0, 0.1), "table");
    }
    try (Scope s = graph.nameScope("lstm")) {
      cell = new LstmCell(graph, dtype, EMBEDDING, HIDDEN);
    }
    try (Scope s = graph.nameScope("dense")) {
      denseWeights =
          graph.variable(
              graph.random().normal(dtype, Shape.of(HIDDEN, VOCAB), 0, Math.sqrt(1.0 / HIDDEN)),
              "weights");
      denseBias = graph.variable(graph.ops().zeros(dtype, VOCAB), "bias");
    }
    Tensor flatLogits;
    try (Scope s = graph.nameScope("forward")) {
      Tensor hs = run(chars).get(0); // [time, batch, hidden]
      Tensor flat = hs.transpose(1, 0, 2).reshape(-1, HIDDEN);
      flatLogits = outputLogits(flat); // [batch * time, vocab]
      logits = flatLogits.reshape(-1, WINDOW, VOCAB);
    }
    try (Scope s = graph.nameScope("loss")) {
      Tensor perPosition =
          graph.nn().sparseSoftmaxCrossEntropyWithLogits(flatLogits, targets.reshape(-1));
      loss = perPosition.mean();
      // each window's mean cross-entropy, summed over the batch: Metric.perplexity's input
      crossEntropySum = perPosition.reshape(-1, WINDOW).mean(1).sum();
    }
    List<Variable> params = List.of(embedding, cell.kernel, cell.bias, denseWeights, denseBias);
    try (Scope s = graph.nameScope("clip")) {
      train = new Adam(learningRate).applyGradients(clipped(graph.grad(loss, params)), params);
    }
    try (Scope s = graph.nameScope("sample")) {
      prompt = graph.placeholder(DType.INT32, Shape.of(1, -1), "prompt");
      sample = generate(prompt);
    }
  }

  /**
   * The LSTM's outputs and cell states, each [time, batch, hidden], over ids [batch, time] from a
   * zero state.
   */
  private List<Tensor> run(Tensor ids) {
    Tensor inputs = graph.nn().embeddingLookup(embedding, ids).transpose(1, 0, 2);
    Tensor zero = cell.zeroState(ids, dtype);
    return graph
        .control()
        .scan(
            (x, state, w) -> cell.step(x.get(0), state.get(0), state.get(1), w.get(0), w.get(1)),
            List.of(inputs),
            List.of(zero, zero),
            List.of(cell.kernel, cell.bias));
  }

  private Tensor outputLogits(Tensor h) {
    return graph.nn().biasAdd(h.matmul(denseWeights), denseBias);
  }

  /**
   * The gradients scaled to a global norm of at most {@link #CLIP_NORM}; a sparse gradient counts
   * (and is scaled) by its rows, duplicates summed first, and stays sparse.
   */
  private List<Tensor> clipped(List<Tensor> grads) {
    List<Tensor> values = new ArrayList<>();
    List<IndexedSlices> sparse = new ArrayList<>();
    for (Tensor g : grads) {
      Optional<IndexedSlices> slices = IndexedSlices.of(g).map(IndexedSlices::summedDuplicates);
      sparse.add(slices.orElse(null));
      values.add(slices.map(IndexedSlices::rows).orElse(g));
    }
    List<Tensor> scaled = graph.ops().clipByGlobalNorm(values, CLIP_NORM).tensors();
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      IndexedSlices s = sparse.get(i);
      out.add(
          s == null
              ? scaled.get(i)
              : new IndexedSlices(s.like(), s.indices(), scaled.get(i)).dense());
    }
    return out;
  }

  /**
   * The prompt [1, length] followed by {@link #SAMPLE_LENGTH} sampled ids, as int32 [SAMPLE_LENGTH]
   * (the generated ids only).
   */
  private Tensor generate(Tensor promptIds) {
    List<Tensor> states = run(promptIds); // [length, 1, hidden] each
    Tensor h = last(states.get(0));
    Tensor c = last(states.get(1));
    Tensor first = graph.ops().argMax(withGumbelNoise(outputLogits(h)), 1).cast(DType.INT32);
    Tensor steps = graph.ops().zeros(dtype, SAMPLE_LENGTH, 1); // scan's clock: one row per step
    List<Tensor> out =
        graph
            .control()
            .scan(
                (tick, state, w) -> {
                  Tensor x = graph.nn().embeddingLookup(w.get(0), state.get(2));
                  List<Tensor> hc = cell.step(x, state.get(0), state.get(1), w.get(1), w.get(2));
                  Tensor logitsNext = graph.nn().biasAdd(hc.get(0).matmul(w.get(3)), w.get(4));
                  Tensor id = graph.ops().argMax(withGumbelNoise(logitsNext), 1).cast(DType.INT32);
                  return List.of(hc.get(0), hc.get(1), id);
                },
                List.of(steps),
                List.of(h, c, first),
                List.of(embedding, cell.kernel, cell.bias, denseWeights, denseBias));
    Tensor rest = out.get(2).reshape(-1); // [SAMPLE_LENGTH]: the id after each fed one
    Tensor all = graph.ops().concat(List.of(first, rest), 0);
    return graph.ops().slice(all, new long[] {0}, new long[] {SAMPLE_LENGTH});
  }

  /**
   * {@code logits - log(-log(u))}, u uniform in (0, 1): its argmax is a draw from the softmax of
   * {@code logits} (the Gumbel-max trick), seeded by the graph's seed and the loop's step.
   */
  private Tensor withGumbelNoise(Tensor logits) {
    Tensor u = graph.random().uniform(dtype, Shape.of(1, VOCAB), 1e-6, 1 - 1e-6);
    return logits.sub(u.log().neg().log());
  }

  /** The last step [1, hidden] of {@code states} [time, 1, hidden]. */
  private Tensor last(Tensor states) {
    Tensor reversed = graph.ops().reverse(states, 0);
    return graph
        .ops()
        .slice(reversed, new long[] {0, 0, 0}, new long[] {1, 1, HIDDEN})
        .reshape(1, HIDDEN);
  }

  @Override
  public Graph graph() {
    return graph;
  }

  /** Int32 [batch, {@value #WINDOW}] character ids. */
  @Override
  public Tensor features() {
    return chars;
  }

  /** Int32 [batch, {@value #WINDOW}]: each position's next character. */
  @Override
  public Tensor labels() {
    return targets;
  }

  @Override
  public Tensor train() {
    return train;
  }

  @Override
  public Tensor loss() {
    return loss;
  }

  /** The logits [batch, {@value #WINDOW}, {@value #VOCAB}]. */
  @Override
  public Tensor prediction() {
    return logits;
  }

  /** Each window's mean cross-entropy (nats), summed over the batch. */
  @Override
  public Tensor evaluation() {
    return crossEntropySum;
  }

  /** The placeholder of {@link #sample()}: a prompt's ids, int32 [1, length], length ≥ 1. */
  public Tensor prompt() {
    return prompt;
  }

  /**
   * Int32 [{@value #SAMPLE_LENGTH}]: the ids sampled (seeded by the graph seed) after {@link
   * #prompt()}.
   */
  public Tensor sample() {
    return sample;
  }
}
