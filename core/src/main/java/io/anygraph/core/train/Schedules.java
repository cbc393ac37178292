package io.anygraph.core.train;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;

/**
 * Learning-rate schedules as graph ops (float64 scalars) of a step counter, usually {@link
 * GlobalStep#of}, in TensorFlow's definitions ({@code tf.train.exponential_decay}, {@code
 * piecewise_constant}, {@code cosine_decay}). Any optimizer takes one in place of a constant:
 *
 * <pre>{@code
 * Variable step = GlobalStep.of(g);
 * Tensor lr = Schedules.linearWarmup(step, Schedules.cosineDecay(step, 0.01, 10_000, 0.0), 500);
 * Tensor train = new AdamW(lr, 0.01).minimize(loss);
 * }</pre>
 */
public final class Schedules {
  private Schedules() {}

  /**
   * {@code lr * rate^(step / decaySteps)}, the exponent rounded down to an integer when {@code
   * staircase}.
   */
  public static Tensor exponentialDecay(
      Tensor step, double lr, long decaySteps, double rate, boolean staircase) {
    positive(decaySteps, "decaySteps");
    Graph g = step.graph();
    Tensor p =
        staircase
            ? integer(step)
                .floorDiv(g.ops().scalarLike(decaySteps, integer(step)))
                .cast(DType.FLOAT64)
            : real(step).div(decaySteps);
    return g.ops().pow(g.constant(rate, DType.FLOAT64), p).mul(lr);
  }

  /**
   * {@code values[0]} while {@code step <= boundaries[0]}, {@code values[i]} while {@code
   * boundaries[i-1] < step <= boundaries[i]}, and the last value after the last boundary.
   */
  public static Tensor piecewiseConstant(Tensor step, long[] boundaries, double[] values) {
    if (values.length != boundaries.length + 1) {
      throw new AnygraphException(
          "piecewiseConstant needs one value more than boundaries: "
              + boundaries.length
              + " boundaries, "
              + values.length
              + " values");
    }
    for (int i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) {
        throw new AnygraphException("piecewiseConstant boundaries must increase: " + i);
      }
    }
    Graph g = step.graph();
    Tensor s = integer(step);
    Tensor lr = g.constant(values[values.length - 1], DType.FLOAT64);
    for (int i = boundaries.length - 1; i >= 0; i--) {
      Tensor within = g.ops().lessEqual(s, g.ops().scalarLike(boundaries[i], s));
      lr = g.ops().select(within, g.constant(values[i], DType.FLOAT64), lr);
    }
    return lr;
  }

  /**
   * {@code lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha)}:
   * from lr down to {@code alpha * lr} at {@code decaySteps}, then constant.
   */
  public static Tensor cosineDecay(Tensor step, double lr, long decaySteps, double alpha) {
    positive(decaySteps, "decaySteps");
    Graph g = step.graph();
    Tensor done = real(step).minimum(g.constant(decaySteps, DType.FLOAT64)).div(decaySteps);
    Tensor cosine = g.ops().cos(done.mul(Math.PI)).add(1).mul(0.5);
    return cosine.mul(1 - alpha).add(alpha).mul(lr);
  }

  /**
   * {@code after * min(1, (step + 1) / warmupSteps)}: rising linearly over the first {@code
   * warmupSteps} steps (the first step already takes {@code 1 / warmupSteps} of it), then {@code
   * after}, itself a constant or a schedule.
   */
  public static Tensor linearWarmup(Tensor step, Tensor after, long warmupSteps) {
    positive(warmupSteps, "warmupSteps");
    Graph g = step.graph();
    Tensor ramp = real(step).add(1).div(warmupSteps).minimum(g.constant(1, DType.FLOAT64));
    return (after.dtype() == DType.FLOAT64 ? after : after.cast(DType.FLOAT64)).mul(ramp);
  }

  /** {@link #linearWarmup(Tensor, Tensor, long)} to a constant rate. */
  public static Tensor linearWarmup(Tensor step, double after, long warmupSteps) {
    return linearWarmup(step, step.graph().constant(after, DType.FLOAT64), warmupSteps);
  }

  private static Tensor integer(Tensor step) {
    if (!step.dtype().isInteger() || !step.shape().hasRank() || step.shape().rank() != 0) {
      throw new AnygraphException(
          "A schedule's step must be an integer scalar (GlobalStep.of(graph)), not "
              + step.name()
              + " "
              + step.dtype()
              + " "
              + step.shape());
    }
    return step.dtype() == DType.INT64 ? step : step.cast(DType.INT64);
  }

  private static Tensor real(Tensor step) {
    return integer(step).cast(DType.FLOAT64);
  }

  private static void positive(long n, String what) {
    if (n <= 0) {
      throw new AnygraphException(what + " must be positive, not " + n);
    }
  }
}
