package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * 2-D convolution and pooling with TensorFlow's conventions (NHWC input by default, HWIO filters
 * [kh, kw, in, out]; see {@link Window}). Their gradients are ops of their own that run ND4J's
 * backprop kernels: {@code conv2dGrad(input, filter, dy)} gives both the input and the filter
 * gradient in one pass; {@code maxPoolGrad(input, dy)} and {@code avgPoolGrad(input, dy)} give the
 * input gradient.
 *
 * <p>The gradient ops are differentiable too, so second derivatives work. Each is linear in dy (and
 * conv2dGrad is bilinear), so their gradients are the adjoint maps: conv2d and conv2dGrad again,
 * avgPool, and {@code maxPoolGradGrad(input, g)}, which reads g at each window's maximum. Pooling's
 * choice of maximum is piecewise constant in the input: no gradient flows to it.
 */
final class ConvOpDefs {
  private ConvOpDefs() {}

  static void define() {
    register(
        OpDef.of(
            "conv2d",
            ConvOpDefs::conv2d,
            c -> {
              List<Tensor> g = apply(c, "conv2dGrad", c.x(0), c.x(1), c.dy());
              return List.of(g.get(0), g.get(1));
            }));
    register(
        OpDef.of(
            "conv2dGrad",
            c -> {
              c.requireInputs(3);
              c.sameDType();
              return List.of(c.in(0), c.in(1));
            },
            ConvOpDefs::conv2dGradGradient));
    for (String pool : List.of("maxPool", "avgPool")) {
      register(
          OpDef.of(
              pool,
              ConvOpDefs::pool,
              c -> List.of(apply(c, pool + "Grad", c.x(0), c.dy()).get(0))));
    }
    // maxPoolGrad(x, dy) spreads dy to the maxima; its adjoint in dy reads them back
    register(
        OpDef.of(
            "maxPoolGrad",
            ConvOpDefs::poolGrad,
            c -> Arrays.asList(null, apply(c, "maxPoolGradGrad", c.x(0), c.dy()).get(0))));
    register(
        OpDef.of(
            "maxPoolGradGrad",
            ConvOpDefs::poolGradGrad,
            c -> Arrays.asList(null, apply(c, "maxPoolGrad", c.x(0), c.dy()).get(0))));
    // avgPoolGrad(x, dy) = A^T dy for the linear map A = avgPool, so its adjoint is avgPool
    register(
        OpDef.of(
            "avgPoolGrad",
            ConvOpDefs::poolGrad,
            c -> Arrays.asList(null, apply(c, "avgPool", c.dy()).get(0))));
  }

  /** Adds {@code op} with the forward node's window attributes to its graph. */
  private static List<Tensor> apply(GradContext c, String op, Tensor... inputs) {
    return c.x(0).graph().add(op, List.of(inputs), c.node().attrs(), null);
  }

  /**
   * conv2dGrad(x, f, dy) = (dX, dF) with dX linear in f and in dy, dF linear in x and in dy. For
   * upstream gX, gF: d/dx = dX-part of conv2dGrad(x, gF, dy), d/df = dF-part of conv2dGrad(gX, f,
   * dy), d/ddy = conv2d(gX, f) + conv2d(x, gF). (Each conv2dGrad here computes both parts and uses
   * one: second derivatives are rare enough not to warrant two more ops.)
   */
  private static List<Tensor> conv2dGradGradient(GradContext c) {
    Tensor gX = c.upstream().get(0);
    Tensor gF = c.upstream().get(1);
    Tensor x = c.x(0);
    Tensor f = c.x(1);
    Tensor dy = c.x(2);
    Tensor dx = gF == null ? null : apply(c, "conv2dGrad", x, gF, dy).get(0);
    Tensor df = gX == null ? null : apply(c, "conv2dGrad", gX, f, dy).get(1);
    Tensor fromGX = gX == null ? null : apply(c, "conv2d", gX, f).get(0);
    Tensor fromGF = gF == null ? null : apply(c, "conv2d", x, gF).get(0);
    Tensor ddy = fromGX == null ? fromGF : fromGF == null ? fromGX : c.ops().add(fromGX, fromGF);
    return Arrays.asList(dx, df, ddy);
  }

  /** (input, dy) → the input's type; dy must have the pooled shape. */
  static List<TensorType> poolGrad(OpContext c) {
    c.requireInputs(2);
    c.sameDType();
    Shape pooled = pooled(c).shape();
    if (!pooled.accepts(c.shape(1))) {
      throw c.fail("dy " + c.shape(1) + " does not match the pooled shape " + pooled);
    }
    return List.of(c.in(0));
  }

  /** (input, g shaped like input) → the pooled type. */
  static List<TensorType> poolGradGrad(OpContext c) {
    c.requireInputs(2);
    c.sameDType();
    if (!c.shape(0).accepts(c.shape(1))) {
      throw c.fail("g " + c.shape(1) + " does not match the input's shape " + c.shape(0));
    }
    return List.of(pooled(c));
  }

  static List<TensorType> conv2d(OpContext c) {
    c.requireInputs(2);
    c.sameDType();
    c.requireFloating(0);
    Shape in = c.shape(0);
    Shape filter = c.shape(1);
    if (!in.hasRank() || in.rank() != 4 || !filter.hasRank() || filter.rank() != 4) {
      throw c.fail("conv2d takes a rank-4 input and a rank-4 filter [height, width, in, out]");
    }
    Window w = window(c, filter.dim(0), filter.dim(1));
    if ((w.sH() > 1 || w.sW() > 1) && (w.dH() > 1 || w.dW() > 1)) {
      // as tf.nn.convolution: a strided dilated convolution is a dilated one subsampled
      throw c.fail(
          "strides "
              + Arrays.toString(c.attrs().getLongs("strides"))
              + " and dilations "
              + Arrays.toString(c.attrs().getLongs("dilations"))
              + " above 1 together are not supported: use strides of 1 and subsample the result");
    }
    long channels = in.dim(w.channelAxis());
    if (channels != Shape.UNKNOWN && filter.dim(2) != Shape.UNKNOWN && channels != filter.dim(2)) {
      throw c.fail(
          "the input has "
              + channels
              + " channels but the filter expects "
              + filter.dim(2)
              + " (filters are [height, width, in, out])");
    }
    if (!filter.isFullyDefined()) {
      throw c.fail("the filter's shape must be fully defined");
    }
    Shape out = w.output(in, filter.dim(3));
    requireNonEmpty(c, in, out);
    return List.of(new TensorType(c.dtype(0), out));
  }

  static List<TensorType> pool(OpContext c) {
    c.requireInputs(1);
    return List.of(pooled(c));
  }

  /** The pooled type of input 0. */
  private static TensorType pooled(OpContext c) {
    c.requireFloating(0);
    Shape in = c.shape(0);
    if (!in.hasRank() || in.rank() != 4) {
      throw c.fail("pooling takes a rank-4 input");
    }
    Window w;
    try {
      w = Window.pooling(c.attrs());
    } catch (IllegalArgumentException e) {
      throw c.fail(e.getMessage());
    }
    Shape out = w.output(in, in.dim(w.channelAxis()));
    requireNonEmpty(c, in, out);
    return new TensorType(c.dtype(0), out);
  }

  private static Window window(OpContext c, long kH, long kW) {
    try {
      return Window.of(c.attrs(), kH, kW);
    } catch (IllegalArgumentException e) {
      throw c.fail(e.getMessage());
    }
  }

  /** A VALID window larger than the input leaves nothing: an error, not an empty tensor. */
  private static void requireNonEmpty(OpContext c, Shape in, Shape out) {
    for (int i = 1; i < 4; i++) {
      if (out.dim(i) == 0) {
        throw c.fail(
            "the window does not fit in the input " + in + " (output would be " + out + ")");
      }
    }
  }
}
