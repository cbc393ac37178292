package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * 2-D convolution and pooling with TensorFlow's conventions (NHWC input by default, HWIO
 * filters [kh, kw, in, out]; see {@link Window}). Their gradients are ops of their own that
 * run ND4J's backprop kernels: {@code conv2dGrad(input, filter, dy)} gives both the input and
 * the filter gradient in one pass; {@code maxPoolGrad(input, dy)} and {@code avgPoolGrad(input,
 * dy)} give the input gradient. The gradient ops have no gradient themselves.
 */
final class ConvOps {
  private ConvOps() {}

  static void define() {
    register(OpDef.of("conv2d", ConvOps::conv2d, c -> {
      List<Tensor> g = c.x(0).graph().add("conv2dGrad", List.of(c.x(0), c.x(1), c.dy()),
          c.node().attrs(), null);
      return List.of(g.get(0), g.get(1));
    }));
    register(OpDef.noGradient("conv2dGrad", c -> {
      c.requireInputs(3);
      c.sameDType();
      return List.of(c.in(0), c.in(1));
    }));
    for (String pool : List.of("maxPool", "avgPool")) {
      register(OpDef.of(pool, ConvOps::pool, c -> List.of(c.x(0).graph().add(pool + "Grad",
          List.of(c.x(0), c.dy()), c.node().attrs(), null).get(0))));
      register(OpDef.noGradient(pool + "Grad", c -> {
        c.requireInputs(2);
        c.sameDType();
        return List.of(c.in(0));
      }));
    }
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
    long channels = in.dim(w.channelAxis());
    if (channels != Shape.UNKNOWN && filter.dim(2) != Shape.UNKNOWN && channels != filter.dim(2)) {
      throw c.fail("the input has " + channels + " channels but the filter expects " + filter.dim(2)
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
    return List.of(new TensorType(c.dtype(0), out));
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
        throw c.fail("the window does not fit in the input " + in + " (output would be " + out + ")");
      }
    }
  }
}
