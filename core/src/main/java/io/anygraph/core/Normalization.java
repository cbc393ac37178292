package io.anygraph.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layer and batch normalization composed from reductions and elementwise ops, so gradients and
 * second derivatives come from those ops, and a mean over a sharded batch axis is made exact (a
 * global statistic) by the sharding pass's reduceMean rewrite. Reached through {@link Nn}.
 */
final class Normalization {
  private Normalization() {}

  /** (x - mean) / sqrt(variance + epsilon) * gamma + beta, statistics over {@code axes}. */
  static Tensor layerNorm(
      Graph g, Tensor x, int[] axes, Tensor gamma, Tensor beta, double epsilon) {
    int[] a = checkedAxes("layerNorm", x, axes, epsilon);
    Ops o = g.ops();
    Tensor mean = o.reduceMean(x, a, true);
    Tensor centered = o.sub(x, mean);
    Tensor variance = o.reduceMean(o.square(centered), a, true);
    return affine(o, normalize(o, centered, variance, epsilon), gamma, beta);
  }

  /**
   * Batch normalization over {@code axes}. Training: the batch's mean and (biased) variance, and an
   * update op per moving statistic given (variables; null ones are not updated). Inference: the
   * moving statistics, no update ops. Parameters and moving statistics have x's shape without
   * {@code axes} (e.g. [C]).
   */
  static BatchNorm.Output batchNorm(
      Graph g,
      Tensor x,
      int[] axes,
      Tensor gamma,
      Tensor beta,
      Tensor movingMean,
      Tensor movingVariance,
      double momentum,
      double epsilon,
      boolean training) {
    int[] a = checkedAxes("batchNorm", x, axes, epsilon);
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new AnygraphException(
          "batchNorm of " + x.name() + ": momentum must be in [0, 1], not " + momentum);
    }
    long[] kept = keptShape(x, a);
    Ops o = g.ops();
    Tensor scale = gamma == null ? null : fitted(o, "gamma", gamma, x, a, kept);
    Tensor offset = beta == null ? null : fitted(o, "beta", beta, x, a, kept);
    if (!training && (movingMean == null || movingVariance == null)) {
      throw new AnygraphException(
          "batchNorm of " + x.name() + ": inference mode needs the moving mean and variance");
    }
    List<Tensor> updates = new ArrayList<>();
    Tensor mean;
    Tensor variance;
    if (training) {
      mean = o.reduceMean(x, a, true);
      variance = o.reduceMean(o.square(o.sub(x, mean)), a, true);
      if (movingMean != null) {
        checkParameter("movingMean", movingMean, x, a, kept);
        updates.add(movingAverage(o, movingMean, mean, momentum));
      }
      if (movingVariance != null) {
        checkParameter("movingVariance", movingVariance, x, a, kept);
        updates.add(movingAverage(o, movingVariance, variance, momentum));
      }
    } else {
      mean = fitted(o, "movingMean", movingMean, x, a, kept);
      variance = fitted(o, "movingVariance", movingVariance, x, a, kept);
    }
    Tensor y = affine(o, normalize(o, o.sub(x, mean), variance, epsilon), scale, offset);
    return new BatchNorm.Output(y, List.copyOf(updates));
  }

  /** assign(moving, moving * momentum + value * (1 - momentum)), as TensorFlow's update op. */
  private static Tensor movingAverage(Ops o, Tensor moving, Tensor value, double momentum) {
    Tensor v = o.reshapeLike(value, moving);
    Tensor next =
        o.add(
            o.mul(moving, o.scalarLike(momentum, moving)),
            o.mul(v, o.scalarLike(1 - momentum, moving)));
    return o.assign(moving, next);
  }

  private static Tensor normalize(Ops o, Tensor centered, Tensor variance, double epsilon) {
    return o.div(centered, o.sqrt(o.add(variance, o.scalarLike(epsilon, variance))));
  }

  private static Tensor affine(Ops o, Tensor y, Tensor gamma, Tensor beta) {
    Tensor out = gamma == null ? y : o.mul(y, gamma);
    return beta == null ? out : o.add(out, beta);
  }

  private static int[] checkedAxes(String op, Tensor x, int[] axes, double epsilon) {
    if (!x.dtype().isFloating() || !x.shape().hasRank()) {
      throw new AnygraphException(
          op + ": " + x.name() + " must be a floating tensor of known rank, not " + x.type());
    }
    int rank = x.shape().rank();
    if (axes.length == 0) {
      throw new AnygraphException(op + " of " + x.name() + ": no axes to normalize over");
    }
    int[] a = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] < -rank || axes[i] >= rank) {
        throw new AnygraphException(
            op + " of " + x.name() + " " + x.shape() + ": axis " + axes[i] + " is out of range");
      }
      a[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    }
    if (Arrays.stream(a).distinct().count() != a.length || !(epsilon >= 0)) {
      throw new AnygraphException(
          op
              + " of "
              + x.name()
              + ": axes "
              + Arrays.toString(axes)
              + " repeat an axis, or epsilon "
              + epsilon
              + " is negative");
    }
    return a;
  }

  /** x's shape with the normalized axes as 1; the other axes must be known. */
  private static long[] keptShape(Tensor x, int[] axes) {
    long[] kept = x.shape().dims();
    for (int i = 0; i < kept.length; i++) {
      final int axis = i;
      if (Arrays.stream(axes).anyMatch(a -> a == axis)) {
        kept[i] = 1;
      } else if (kept[i] == Shape.UNKNOWN) {
        throw new AnygraphException(
            "batchNorm of "
                + x.name()
                + " "
                + x.shape()
                + ": axis "
                + i
                + " is not normalized over, so its size must be known");
      }
    }
    return kept;
  }

  /** A parameter of x's shape without the axes (e.g. [C]), reshaped to broadcast against x. */
  private static Tensor fitted(Ops o, String what, Tensor p, Tensor x, int[] axes, long[] kept) {
    checkParameter(what, p, x, axes, kept);
    return o.reshape(p, kept);
  }

  private static void checkParameter(String what, Tensor p, Tensor x, int[] axes, long[] kept) {
    long reduced = 1;
    for (long d : kept) {
      reduced *= d;
    }
    Shape s = p.shape();
    if (p.dtype() != x.dtype() || !s.isFullyDefined() || s.size() != reduced) {
      throw new AnygraphException(
          "batchNorm of "
              + x.name()
              + " "
              + x.type()
              + " over axes "
              + Arrays.toString(axes)
              + ": "
              + what
              + " "
              + p.name()
              + " must be "
              + x.dtype()
              + " with "
              + reduced
              + " elements (x's shape without those axes), not "
              + p.type());
    }
  }
}
