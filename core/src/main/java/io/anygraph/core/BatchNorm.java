package io.anygraph.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A batch-normalization layer, as TensorFlow 1.x's {@code tf.layers.batch_normalization}: it owns
 * gamma and beta (trainable, initially 1 and 0) and the moving mean and variance (not trainable,
 * initially 0 and 1). {@link #apply} in training mode normalizes with the batch's statistics and
 * records two update ops, which the training step must run (TensorFlow's {@code UPDATE_OPS}); in
 * inference mode it uses the moving statistics. With a sharded batch the batch statistics are
 * global: the mean over the batch axis is all-reduced, however unequal the shards.
 *
 * <pre>{@code
 * BatchNorm bn = new BatchNorm(g, "bn1", DType.FLOAT32, Shape.of(16), new int[] {0, 1, 2});
 * Tensor h = bn.apply(conv, true);                       // training: batch statistics
 * List<Tensor> step = new ArrayList<>(bn.updateOps());   // after every training-mode apply
 * step.add(new Adam(1e-3).minimize(loss));
 * Tensor train = g.ops().group(step);
 * Tensor eval = bn.apply(testConv, false);               // inference: moving statistics
 * }</pre>
 */
public final class BatchNorm {
  /** TensorFlow's defaults for {@code tf.layers.batch_normalization}. */
  public static final double MOMENTUM = 0.99;

  public static final double EPSILON = 1e-3;

  /**
   * What one application gives: the normalized tensor and the ops that update the moving statistics
   * (empty in inference mode).
   */
  public record Output(Tensor output, List<Tensor> updateOps) {}

  private final Graph g;
  private final int[] axes;
  private final double momentum;
  private final double epsilon;
  private final Variable gamma;
  private final Variable beta;
  private final Variable movingMean;
  private final Variable movingVariance;
  private final List<Tensor> updateOps = new ArrayList<>();

  /** A layer with TensorFlow's default momentum (0.99) and epsilon (0.001). */
  public BatchNorm(Graph g, String name, DType dtype, Shape params, int[] axes) {
    this(g, name, dtype, params, axes, MOMENTUM, EPSILON);
  }

  /**
   * @param params the shape of gamma, beta and the moving statistics: x's shape without {@code
   *     axes} (for NHWC images normalized over {@code {0, 1, 2}}: {@code [C]})
   * @param axes the axes the statistics are taken over (the batch axis and, for images, height and
   *     width)
   */
  public BatchNorm(
      Graph g,
      String name,
      DType dtype,
      Shape params,
      int[] axes,
      double momentum,
      double epsilon) {
    this.g = g;
    this.axes = axes.clone();
    this.momentum = momentum;
    this.epsilon = epsilon;
    Ops o = g.ops();
    gamma = g.variable(o.fill(dtype, params, 1), name + "/gamma");
    beta = g.variable(o.fill(dtype, params, 0), name + "/beta");
    movingMean = g.nonTrainableVariable(o.fill(dtype, params, 0), name + "/movingMean");
    movingVariance = g.nonTrainableVariable(o.fill(dtype, params, 1), name + "/movingVariance");
  }

  /** Normalizes x; in training mode also records this application's update ops. */
  public Tensor apply(Tensor x, boolean training) {
    Output out =
        g.nn()
            .batchNorm(
                x, axes, gamma, beta, movingMean, movingVariance, momentum, epsilon, training);
    synchronized (updateOps) {
      updateOps.addAll(out.updateOps());
    }
    return out.output();
  }

  /** The update ops of every training-mode application so far: run them with each step. */
  public List<Tensor> updateOps() {
    synchronized (updateOps) {
      return Collections.unmodifiableList(new ArrayList<>(updateOps));
    }
  }

  public Variable gamma() {
    return gamma;
  }

  public Variable beta() {
    return beta;
  }

  public Variable movingMean() {
    return movingMean;
  }

  public Variable movingVariance() {
    return movingVariance;
  }
}
