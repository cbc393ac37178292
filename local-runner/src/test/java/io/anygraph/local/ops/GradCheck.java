package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check of symbolic gradients through the public API. The output y is reduced to
 * the scalar {@code sum(y * w)} with fixed pseudo-random weights w, so every element of a
 * non-scalar y is checked with a different upstream gradient. Inputs of floating dtype are
 * differentiated (central differences, float64); others (labels, indices) are only fed.
 */
public final class GradCheck {
  private static final double EPS = 1e-6;
  private static final double TOLERANCE = 1e-5;

  private GradCheck() {}

  /** Checks the gradient of {@code build(x)} with respect to {@code x}. */
  public static void check(INDArray x, UnaryOperator<Tensor> build) {
    check(List.of(x), xs -> build.apply(xs.get(0)));
  }

  /** Checks the gradients of {@code build(xs)} with respect to every floating input. */
  public static void check(List<INDArray> inputs, Function<List<Tensor>, Tensor> build) {
    check(inputs, inputs.stream().map(v -> Shape.of(v.shape())).toList(), build);
  }

  /**
   * As {@link #check(List, Function)}, with placeholders declared of the given (partly unknown)
   * shapes, so that the gradient graph is built without knowing what only the run shows.
   */
  public static void check(
      List<INDArray> inputs, List<Shape> declared, Function<List<Tensor>, Tensor> build) {
    checkRuns(declared, build, List.of(inputs));
  }

  /**
   * Builds {@code build(xs)} and its gradients once, on placeholders of the {@code declared}
   * shapes, then checks them on each set of fed values in turn (their shapes may differ from run to
   * run). The weights w are fed too, shaped like each run's y.
   */
  public static void checkRuns(
      List<Shape> declared, Function<List<Tensor>, Tensor> build, List<List<INDArray>> runs) {
    Graph g = new Graph();
    List<INDArray> first = runs.get(0);
    List<Tensor> xs = new ArrayList<>();
    for (int i = 0; i < declared.size(); i++) {
      xs.add(g.placeholder(DType.fromNd4j(first.get(i).dataType()), declared.get(i), "x" + i));
    }
    Tensor y = build.apply(xs);
    Tensor w = g.placeholder(y.dtype(), y.shape(), "w");
    Tensor loss = y.mul(w).sum();
    List<Tensor> wrt = new ArrayList<>();
    for (Tensor x : xs) {
      if (x.dtype().isFloating()) {
        wrt.add(x);
      }
    }
    assertTrue(!wrt.isEmpty(), "no floating input to differentiate");
    List<Tensor> grads = g.grad(loss, wrt);
    try (Session sess = new Session(g)) {
      for (List<INDArray> inputs : runs) {
        Map<Tensor, INDArray> feeds = feeds(xs, inputs);
        feeds.put(w, weights(sess.run(y, feeds(xs, inputs))));
        List<INDArray> symbolic = sess.run(grads, feeds);
        for (int k = 0; k < wrt.size(); k++) {
          int i = xs.indexOf(wrt.get(k));
          INDArray numeric = numericGradient(sess, loss, xs, inputs, i, w, feeds.get(w));
          INDArray got = symbolic.get(k).castTo(DataType.DOUBLE);
          assertEquals(
              Arrays.toString(numeric.shape()),
              Arrays.toString(got.shape()),
              "gradient shape of " + xs.get(i).name());
          for (long e = 0; e < numeric.length(); e++) {
            double n = numeric.getDouble(e);
            double s = got.getDouble(e);
            double scale = Math.max(1.0, Math.abs(n));
            assertEquals(
                n,
                s,
                TOLERANCE * scale,
                "d/d"
                    + xs.get(i).name()
                    + " element "
                    + e
                    + ": finite difference "
                    + n
                    + ", symbolic "
                    + s
                    + " (y = "
                    + y.name()
                    + ", op "
                    + y.op()
                    + ", input shape "
                    + Arrays.toString(inputs.get(i).shape())
                    + ")");
          }
        }
      }
    }
  }

  private static INDArray numericGradient(
      Session sess,
      Tensor loss,
      List<Tensor> xs,
      List<INDArray> inputs,
      int i,
      Tensor w,
      INDArray weights) {
    INDArray x = inputs.get(i).castTo(DataType.DOUBLE).dup();
    INDArray grad = Nd4j.zeros(DataType.DOUBLE, x.shape());
    List<INDArray> varied = new ArrayList<>(inputs);
    for (long e = 0; e < x.length(); e++) {
      double old = x.getDouble(e);
      x.putScalar(e, old + EPS);
      varied.set(i, x.dup());
      Map<Tensor, INDArray> plusFeeds = feeds(xs, varied);
      plusFeeds.put(w, weights);
      double plus = sess.run(loss, plusFeeds).getDouble(0);
      x.putScalar(e, old - EPS);
      varied.set(i, x.dup());
      Map<Tensor, INDArray> minusFeeds = feeds(xs, varied);
      minusFeeds.put(w, weights);
      double minus = sess.run(loss, minusFeeds).getDouble(0);
      x.putScalar(e, old);
      grad.putScalar(e, (plus - minus) / (2 * EPS));
    }
    return grad;
  }

  private static Map<Tensor, INDArray> feeds(List<Tensor> xs, List<INDArray> values) {
    Map<Tensor, INDArray> feeds = new HashMap<>();
    for (int i = 0; i < xs.size(); i++) {
      feeds.put(xs.get(i), values.get(i));
    }
    return feeds;
  }

  /** Fixed weights in [0.5, 1.5) in the shape and dtype of y's value, from a simple LCG. */
  private static INDArray weights(INDArray y) {
    long[] shape = y.shape();
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    double[] w = new double[(int) n];
    long state = 12345;
    for (int i = 0; i < w.length; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      w[i] = 0.5 + ((state >>> 11) & ((1L << 53) - 1)) / (double) (1L << 53);
    }
    return Nd4j.createFromArray(w).reshape(shape).castTo(y.dataType());
  }
}
