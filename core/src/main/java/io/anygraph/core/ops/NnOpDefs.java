package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.Nn;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Activations and normalized exponentials. {@code softmax} and {@code logSoftmax} work along
 * attribute {@code axis} (absent: the last, as TensorFlow's default -1) and subtract the maximum
 * first, so large logits do not overflow. {@code softmaxCrossEntropy} is the loss along the last
 * axis ({@link io.anygraph.core.Nn#softmaxCrossEntropyWithLogits}), with its gradient as an op of
 * its own, as relu's is.
 */
final class NnOpDefs {
  private NnOpDefs() {}

  static void define() {
    // one op each way, as TensorFlow's SoftmaxCrossEntropyWithLogits: log-softmax, a product, a
    // sum and a negation took a dozen kernels forward and back
    register(
        OpDef.of(
            "softmaxCrossEntropy",
            NnOpDefs::crossEntropy,
            c -> {
              Ops o = c.ops();
              Nn nn = c.x(0).graph().nn();
              Tensor dy = o.expandDims(c.dy(), -1);
              return List.of(
                  nn.softmaxCrossEntropyGrad(c.x(0), c.x(1), c.dy()),
                  o.mul(o.neg(dy), nn.logSoftmax(c.x(0))));
            }));
    // g = dy·(p·S - labels), p = softmax(logits), S = Σ labels; for an upstream G: d/dlogits =
    // dy·S·(p·G - p·Σ p·G), d/dlabels = dy·(Σ p·G - G), d/ddy = Σ G·(p·S - labels)
    register(
        OpDef.of(
            "softmaxCrossEntropyGrad",
            NnOpDefs::crossEntropyGrad,
            c -> {
              Ops o = c.ops();
              Tensor p = c.x(0).graph().nn().softmax(c.x(0));
              long[] last = {-1};
              Tensor total = o.reduceSum(c.x(1), last, true);
              Tensor dy = o.expandDims(c.x(2), -1);
              Tensor pg = o.mul(p, c.dy());
              Tensor dot = o.reduceSum(pg, last, true);
              return List.of(
                  o.mul(o.mul(dy, total), o.sub(pg, o.mul(p, dot))),
                  o.mul(dy, o.sub(dot, c.dy())),
                  o.reduceSum(o.mul(c.dy(), o.sub(o.mul(p, total), c.x(1))), last, false));
            }));
    // relu's gradient is one op, as TensorFlow's ReluGrad: dy where x > 0, else 0 (x = 0 and NaN
    // included), one pass instead of greater, zerosLike and select
    register(
        OpDef.of(
            "relu",
            MathOpDefs::unaryFloat,
            c -> List.of(c.x(0).graph().nn().reluGrad(c.x(0), c.dy()))));
    // linear in dy, piecewise constant in x
    register(
        OpDef.of(
            "reluGrad",
            NnOpDefs::reluGrad,
            c -> List.of(c.ops().zerosLike(c.x(0)), c.x(0).graph().nn().reluGrad(c.x(0), c.dy()))));
    register(
        OpDef.of(
            "sigmoid",
            MathOpDefs::unaryFloat,
            c -> {
              Ops o = c.ops();
              Tensor y = c.y();
              return List.of(o.mul(c.dy(), o.mul(y, o.sub(o.onesLike(y), y))));
            }));
    register(
        OpDef.of(
            "tanh",
            MathOpDefs::unaryFloat,
            c -> {
              Ops o = c.ops();
              Tensor y = c.y();
              return List.of(o.mul(c.dy(), o.sub(o.onesLike(y), o.square(y))));
            }));
    register(
        OpDef.of(
            "softmax",
            NnOpDefs::alongAxis,
            c -> {
              // dx = y * (dy - sum(dy * y))
              Ops o = c.ops();
              Tensor y = c.y();
              Tensor dot = o.reduceSum(o.mul(c.dy(), y), axisOf(c), true);
              return List.of(o.mul(y, o.sub(c.dy(), dot)));
            }));
    register(
        OpDef.of(
            "logSoftmax",
            NnOpDefs::alongAxis,
            c -> {
              // dx = dy - softmax(x) * sum(dy)
              Ops o = c.ops();
              Tensor total = o.reduceSum(c.dy(), axisOf(c), true);
              return List.of(o.sub(c.dy(), o.mul(o.exp(c.y()), total)));
            }));
  }

  /** reluGrad(x, dy): two floating inputs of one dtype and one shape (no broadcasting). */
  static List<TensorType> reluGrad(OpContext c) {
    c.requireInputs(2);
    DType t = c.sameDType();
    c.requireFloating(0);
    return List.of(new TensorType(t, sameShape(c, c.shape(0), c.shape(1), "x", "dy")));
  }

  /** softmaxCrossEntropy(logits, labels): one floating dtype, one shape [..., classes]; [...]. */
  static List<TensorType> crossEntropy(OpContext c) {
    c.requireInputs(2);
    DType t = c.sameDType();
    c.requireFloating(0);
    return List.of(
        new TensorType(
            t, withoutClasses(c, sameShape(c, c.shape(0), c.shape(1), "logits", "labels"))));
  }

  /** softmaxCrossEntropyGrad(logits, labels, dy): the gradient has the logits' shape. */
  static List<TensorType> crossEntropyGrad(OpContext c) {
    c.requireInputs(3);
    DType t = c.sameDType();
    c.requireFloating(0);
    Shape logits = sameShape(c, c.shape(0), c.shape(1), "logits", "labels");
    sameShape(c, withoutClasses(c, logits), c.shape(2), "the loss", "dy");
    return List.of(new TensorType(t, logits));
  }

  /** The logits' shape less the class axis (the last); fails for a scalar. */
  private static Shape withoutClasses(OpContext c, Shape logits) {
    if (!logits.hasRank()) {
      return logits;
    }
    if (logits.rank() < 1) {
      throw c.fail("logits need a class axis, got a scalar");
    }
    return Shape.of(Arrays.copyOf(logits.dims(), logits.rank() - 1));
  }

  /**
   * The shape x and y (called a and b in errors) share, each unknown dim taken from the other;
   * fails when they differ (no broadcasting).
   */
  private static Shape sameShape(OpContext c, Shape x, Shape y, String a, String b) {
    if (!x.hasRank() || !y.hasRank()) {
      return x.hasRank() ? x : y;
    }
    String differ =
        a + " has shape " + x + " but " + b + " has shape " + y + ": they must be equal";
    if (x.rank() != y.rank()) {
      throw c.fail(differ);
    }
    long[] dims = new long[x.rank()];
    for (int d = 0; d < dims.length; d++) {
      long p = x.dim(d);
      long q = y.dim(d);
      if (p != Shape.UNKNOWN && q != Shape.UNKNOWN && p != q) {
        throw c.fail(differ);
      }
      dims[d] = p == Shape.UNKNOWN ? q : p;
    }
    return Shape.of(dims);
  }

  static List<TensorType> alongAxis(OpContext c) {
    c.requireInputs(1);
    c.requireFloating(0);
    if (c.shape(0).hasRank()) {
      if (c.shape(0).rank() < 1) {
        throw c.fail("needs at least one axis, got a scalar");
      }
      c.axis(c.attrs().getLong("axis", -1), c.shape(0).rank());
    }
    return List.of(c.in(0));
  }

  /** The op's axis as reduction axes (a negative axis counts from the end there too). */
  private static long[] axisOf(GradContext c) {
    return new long[] {c.node().attrs().getLong("axis", -1)};
  }
}
