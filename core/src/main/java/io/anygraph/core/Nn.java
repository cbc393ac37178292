package io.anygraph.core;

import java.util.Arrays;
import java.util.List;

/**
 * Neural-network op builders of one graph, TensorFlow's {@code tf.nn.*} namespace. Get it from
 * {@link Graph#nn()}.
 */
public final class Nn {
  private final Graph g;

  Nn(Graph g) {
    this.g = g;
  }

  /**
   * {@code tf.nn.conv2d}: NHWC input, filter [height, width, in, out], 4 strides in NHWC order
   * ({@code [1, sh, sw, 1]}), padding {@code "SAME"} or {@code "VALID"}.
   */
  public Tensor conv2d(Tensor input, Tensor filter, long[] strides, String padding) {
    return conv2d(input, filter, strides, padding, "NHWC", new long[] {1, 1, 1, 1});
  }

  /**
   * {@code tf.nn.conv2d} with a data format (NHWC or NCHW) and dilations in that format's order.
   */
  public Tensor conv2d(
      Tensor input,
      Tensor filter,
      long[] strides,
      String padding,
      String dataFormat,
      long[] dilations) {
    return op(
        "conv2d",
        Attrs.of(
            "strides",
            strides,
            "padding",
            padding,
            "dataFormat",
            dataFormat,
            "dilations",
            dilations),
        input,
        filter);
  }

  /**
   * Theano's {@code conv2d(input, filters, border_mode=...)}: a true convolution (the filters are
   * flipped), input (batch, channels, rows, cols), filters (filters, channels, rows, cols). Border
   * modes: {@code "valid"} gives rows - kr + 1; {@code "full"} pads kr - 1 zeros on each side and
   * gives rows + kr - 1; {@code "half"} pads kr / 2 on each side (rows out = rows for odd kr).
   */
  public Tensor conv2dTheano(Tensor input, Tensor filters, String borderMode) {
    if (!filters.shape().hasRank() || filters.shape().rank() != 4) {
      throw new AnygraphException(
          "conv2dTheano: filters "
              + filters.name()
              + " must have rank 4"
              + " (filters, channels, rows, cols), not shape "
              + filters.shape());
    }
    Ops o = g.ops();
    Tensor padded =
        switch (borderMode) {
          case "valid" -> input;
          case "full" -> o.pad(input, theanoPadding(input, filters, 1, 1));
          case "half" -> o.pad(input, theanoPadding(input, filters, 2, 0));
          default ->
              throw new AnygraphException(
                  "conv2dTheano of "
                      + input.name()
                      + ": border mode '"
                      + borderMode
                      + "' is not one of valid, full, half");
        };
    Tensor hwio = o.transpose(o.reverse(filters, 2, 3), 2, 3, 1, 0);
    return conv2d(padded, hwio, new long[] {1, 1, 1, 1}, "VALID", "NCHW", new long[] {1, 1, 1, 1});
  }

  /** Zeros around rows and cols: (k - offset) / divisor on each side, for k the filter's size. */
  private static long[][] theanoPadding(Tensor input, Tensor filters, long divisor, long offset) {
    long kr = filters.shape().dim(2);
    long kc = filters.shape().dim(3);
    if (kr == Shape.UNKNOWN || kc == Shape.UNKNOWN) {
      throw new AnygraphException(
          "conv2dTheano of "
              + input.name()
              + ": filters "
              + filters.name()
              + " "
              + filters.shape()
              + " need known rows and cols to pad the border");
    }
    long pr = (kr - offset) / divisor;
    long pc = (kc - offset) / divisor;
    return new long[][] {{0, 0}, {0, 0}, {pr, pr}, {pc, pc}};
  }

  /** {@code tf.nn.bias_add}: a rank-1 bias added along the channel axis (NHWC: the last). */
  public Tensor biasAdd(Tensor value, Tensor bias) {
    return biasAdd(value, bias, "NHWC");
  }

  public Tensor biasAdd(Tensor value, Tensor bias, String dataFormat) {
    Shape v = value.shape();
    Shape b = bias.shape();
    boolean nchw = dataFormat.equals("NCHW");
    if (!b.hasRank() || b.rank() != 1 || !v.hasRank() || v.rank() < (nchw ? 3 : 1)) {
      throw new AnygraphException(
          "biasAdd: bias "
              + bias.name()
              + " "
              + b
              + " must have rank 1 and "
              + value.name()
              + " "
              + v
              + " a channel axis");
    }
    int axis = nchw ? 1 : v.rank() - 1;
    if (v.dim(axis) != Shape.UNKNOWN && b.dim(0) != Shape.UNKNOWN && v.dim(axis) != b.dim(0)) {
      throw new AnygraphException(
          "biasAdd: bias "
              + bias.name()
              + " "
              + b
              + " does not match the "
              + v.dim(axis)
              + " channels of "
              + value.name()
              + " "
              + v
              + " ("
              + dataFormat
              + ")");
    }
    if (!nchw) {
      return value.add(bias);
    }
    long[] shape = new long[v.rank() - 1];
    Arrays.fill(shape, 1);
    shape[0] = -1;
    return value.add(bias.reshape(shape));
  }

  /** {@code tf.nn.max_pool}: ksize and strides as 4 numbers in NHWC order. */
  public Tensor maxPool(Tensor input, long[] ksize, long[] strides, String padding) {
    return pool("maxPool", input, ksize, strides, padding, "NHWC");
  }

  public Tensor maxPool(
      Tensor input, long[] ksize, long[] strides, String padding, String dataFormat) {
    return pool("maxPool", input, ksize, strides, padding, dataFormat);
  }

  /** {@code tf.nn.avg_pool}: with SAME padding, border windows average their valid cells only. */
  public Tensor avgPool(Tensor input, long[] ksize, long[] strides, String padding) {
    return pool("avgPool", input, ksize, strides, padding, "NHWC");
  }

  public Tensor avgPool(
      Tensor input, long[] ksize, long[] strides, String padding, String dataFormat) {
    return pool("avgPool", input, ksize, strides, padding, dataFormat);
  }

  private Tensor pool(
      String op, Tensor input, long[] ksize, long[] strides, String padding, String dataFormat) {
    return op(
        op,
        Attrs.of("ksize", ksize, "strides", strides, "padding", padding, "dataFormat", dataFormat),
        input);
  }

  public Tensor relu(Tensor x) {
    return op("relu", Attrs.empty(), x);
  }

  /**
   * The gradient of {@link #relu}: {@code dy} where {@code x > 0}, else 0 (TensorFlow's {@code
   * ReluGrad}); {@code x} and {@code dy} have one shape and dtype.
   */
  public Tensor reluGrad(Tensor x, Tensor dy) {
    return op("reluGrad", Attrs.empty(), x, dy);
  }

  public Tensor sigmoid(Tensor x) {
    return op("sigmoid", Attrs.empty(), x);
  }

  public Tensor tanh(Tensor x) {
    return op("tanh", Attrs.empty(), x);
  }

  /** Softmax along the last axis. */
  public Tensor softmax(Tensor logits) {
    return op("softmax", Attrs.empty(), logits);
  }

  /**
   * Softmax along {@code axis} (negative counts from the end), as {@code tf.nn.softmax(x, axis)}.
   */
  public Tensor softmax(Tensor logits, int axis) {
    return op("softmax", Attrs.of("axis", axis), logits);
  }

  /** log(softmax) along the last axis, computed stably (no overflow for large logits). */
  public Tensor logSoftmax(Tensor logits) {
    return op("logSoftmax", Attrs.empty(), logits);
  }

  /** log(softmax) along {@code axis} (negative counts from the end), computed stably. */
  public Tensor logSoftmax(Tensor logits, int axis) {
    return op("logSoftmax", Attrs.of("axis", axis), logits);
  }

  /**
   * Per-example cross-entropy between a distribution {@code labels} and {@code softmax(logits)}
   * along the last axis: {@code -sum(labels * logSoftmax(logits))}, stable for large logits.
   */
  public Tensor softmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) {
    if (!labels.shape().accepts(logits.shape()) && !logits.shape().accepts(labels.shape())) {
      throw new AnygraphException(
          "softmaxCrossEntropyWithLogits: labels "
              + labels.name()
              + " "
              + labels.shape()
              + " and logits "
              + logits.name()
              + " "
              + logits.shape()
              + " differ in shape");
    }
    return op("softmaxCrossEntropy", Attrs.empty(), logits, labels);
  }

  /**
   * The gradient of {@link #softmaxCrossEntropyWithLogits} with respect to the logits, {@code dy ·
   * (softmax(logits) · Σ labels - labels)} along the last axis (TensorFlow's op's second output,
   * times dy); {@code dy} has the loss's shape.
   */
  public Tensor softmaxCrossEntropyGrad(Tensor logits, Tensor labels, Tensor dy) {
    return op("softmaxCrossEntropyGrad", Attrs.empty(), logits, labels, dy);
  }

  /**
   * Cross-entropy with integer class labels [batch] for logits [batch, classes]. A label outside
   * [0, classes) fails the run with the node's name, as TensorFlow does on CPU.
   */
  public Tensor sparseSoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) {
    Shape l = logits.shape();
    if (!l.hasRank() || l.rank() != 2 || l.dim(1) == Shape.UNKNOWN) {
      throw new AnygraphException(
          "sparseSoftmaxCrossEntropyWithLogits: logits "
              + logits.name()
              + " must be [batch, classes] with a known number of classes, not "
              + l);
    }
    if (!labels.dtype().isInteger()
        || !labels.shape().hasRank()
        || labels.shape().rank() != 1
        || !Shape.of(l.dim(0)).accepts(labels.shape())
            && !labels.shape().accepts(Shape.of(l.dim(0)))) {
      throw new AnygraphException(
          "sparseSoftmaxCrossEntropyWithLogits: labels "
              + labels.name()
              + " must be integers [batch] matching logits "
              + l
              + ", not "
              + labels.dtype()
              + " "
              + labels.shape());
    }
    Tensor oneHot = g.ops().oneHot(labels, l.dim(1), logits.dtype(), true);
    return softmaxCrossEntropyWithLogits(logits, oneHot);
  }

  /**
   * {@code tf.nn.sigmoid_cross_entropy_with_logits}: per element, {@code -z log(sigmoid(x)) - (1 -
   * z) log(1 - sigmoid(x))} for logits x and labels z of the same shape and dtype, computed as
   * {@code max(x, 0) - x z + log(1 + exp(-|x|))} so that it stays finite for logits of any size.
   * Its gradient with respect to x is {@code sigmoid(x) - z}.
   *
   * <pre>{@code
   * Tensor loss = g.nn().sigmoidCrossEntropyWithLogits(logits, labels).mean();
   * }</pre>
   */
  public Tensor sigmoidCrossEntropyWithLogits(Tensor logits, Tensor labels) {
    if (!labels.shape().accepts(logits.shape()) && !logits.shape().accepts(labels.shape())) {
      throw new AnygraphException(
          "sigmoidCrossEntropyWithLogits: labels "
              + labels.name()
              + " "
              + labels.shape()
              + " and logits "
              + logits.name()
              + " "
              + logits.shape()
              + " differ in shape");
    }
    Ops o = g.ops();
    Tensor zeros = o.zerosLike(logits);
    // selects rather than relu/abs, as TensorFlow: at x = 0 both branches then give sigmoid(0) - z
    Tensor nonNegative = o.greaterEqual(logits, zeros);
    Tensor positivePart = o.select(nonNegative, logits, zeros);
    Tensor minusAbs = o.select(nonNegative, o.neg(logits), logits);
    return positivePart.sub(logits.mul(labels)).add(o.log(o.exp(minusAbs).add(1)));
  }

  /**
   * {@code tf.nn.dropout}: each element kept with probability 1 - rate and scaled by 1 / (1 -
   * rate), else 0. The mask is drawn once per run and the gradient uses the same mask; with a graph
   * or op seed the masks repeat from run to run of a new session.
   */
  public Tensor dropout(Tensor x, double rate, Long seed) {
    if (!(rate >= 0 && rate < 1)) {
      throw new AnygraphException(
          "dropout of " + x.name() + ": rate must be in [0, 1), not " + rate);
    }
    Tensor u =
        g.add(
                "randomUniformLike",
                List.of(x),
                Attrs.of("dtype", x.dtype(), "min", 0.0, "max", 1.0, "seed", seed),
                null)
            .get(0);
    Tensor keep = g.ops().cast(g.ops().greaterEqual(u, g.ops().scalarLike(rate, u)), x.dtype());
    return x.mul(keep).mul(1 / (1 - rate));
  }

  /**
   * {@code tf.nn.top_k}: the {@code k} largest values along the last axis, largest first, and their
   * int32 indices (equal values: the lower index first). The gradient flows to the picked positions
   * (the last axis must then be known). {@code sorted = false} is accepted and also sorts.
   *
   * <pre>{@code
   * List<Tensor> top = g.nn().topK(logits, 5, true);  // values top.get(0), indices top.get(1)
   * }</pre>
   */
  public List<Tensor> topK(Tensor x, int k, boolean sorted) {
    return g.add("topK", List.of(x), Attrs.of("k", k, "sorted", sorted), null);
  }

  /**
   * Softmax along the last axis over the positions where the bool {@code mask} (broadcast to the
   * logits' shape) is true; masked positions get probability 0, and a line with every position
   * masked gives all zeros (not NaN).
   */
  public Tensor softmax(Tensor logits, Tensor mask) {
    return Attention.maskedSoftmax(g, logits, mask, -1);
  }

  /** Masked softmax along {@code axis}, as {@link #softmax(Tensor, Tensor)}. */
  public Tensor softmax(Tensor logits, Tensor mask, int axis) {
    return Attention.maskedSoftmax(g, logits, mask, axis);
  }

  /**
   * Scaled dot-product attention, {@code softmax(q kᵀ / sqrt(depth), mask) v}, for q [..., Tq, d],
   * k [..., Tk, d], v [..., Tk, dv] (leading axes such as batch and heads broadcast); mask (bool,
   * true = may attend, broadcast to [..., Tq, Tk]) may be null; {@code causal} also hides later
   * keys ({@link #causalMask}).
   *
   * <pre>{@code
   * Tensor out = g.nn().attention(q, k, v, null, true);  // [batch, heads, T, dv]
   * }</pre>
   */
  public Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
    return Attention.attention(g, q, k, v, mask, causal);
  }

  /** A bool mask shaped like {@code scores} [..., query, key]: true where key <= query. */
  public Tensor causalMask(Tensor scores) {
    return Attention.causalMask(g, scores);
  }

  /**
   * Layer normalization: {@code (x - mean) / sqrt(variance + epsilon) * gamma + beta} with the mean
   * and (biased) variance over {@code axes} of each example; gamma and beta broadcast against x and
   * may be null.
   *
   * <pre>{@code
   * Tensor y = g.nn().layerNorm(x, new int[] {-1}, gamma, beta, 1e-5);  // gamma, beta: [features]
   * }</pre>
   */
  public Tensor layerNorm(Tensor x, int[] axes, Tensor gamma, Tensor beta, double epsilon) {
    return Normalization.layerNorm(g, x, axes, gamma, beta, epsilon);
  }

  /**
   * Batch normalization with the statistics over {@code axes} (as {@code
   * tf.layers.batch_normalization}; {@link BatchNorm} makes the variables). Training: the batch's
   * mean and biased variance, plus update ops {@code moving = moving * momentum + batch * (1 -
   * momentum)} to run with the step (the moving statistics must then be variables, or null for
   * none). Inference: the moving statistics, no update ops. gamma and beta may be null; all
   * parameters have x's shape without {@code axes}.
   */
  public BatchNorm.Output batchNorm(
      Tensor x,
      int[] axes,
      Tensor gamma,
      Tensor beta,
      Tensor movingMean,
      Tensor movingVariance,
      double momentum,
      double epsilon,
      boolean training) {
    return Normalization.batchNorm(
        g, x, axes, gamma, beta, movingMean, movingVariance, momentum, epsilon, training);
  }

  private Tensor op(String op, Attrs attrs, Tensor... inputs) {
    return g.add(op, List.of(inputs), attrs, null).get(0);
  }

  /**
   * {@code tf.nn.embedding_lookup}: the rows of {@code params} [vocab, d...] at integer {@code ids}
   * of any shape, giving [ids..., d...]. Its gradient with respect to params is sparse (the looked
   * up rows and their ids, see {@code IndexedSlices}), which every optimizer applies to the touched
   * rows only. An id outside [0, vocab) fails the run, naming the node, the id and vocab.
   *
   * <pre>{@code
   * Variable table = g.variable(g.random().normal(DType.FLOAT32, Shape.of(1000, 16), 0, 0.1), "emb");
   * Tensor vectors = g.nn().embeddingLookup(table, ids);  // ids [batch, 3] -> [batch, 3, 16]
   * }</pre>
   */
  public Tensor embeddingLookup(Tensor params, Tensor ids) {
    return g.ops().gather(params, ids);
  }
}
