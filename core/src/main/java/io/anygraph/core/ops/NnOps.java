package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Ops;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * Activations and normalized exponentials. {@code softmax} and {@code logSoftmax} work along the
 * last axis and subtract the maximum first, so large logits do not overflow. Cross-entropies are
 * built from these in {@link io.anygraph.core.Nn}.
 */
final class NnOps {
  private NnOps() {}

  static void define() {
    register(OpDef.of("relu", MathOps::unaryFloat, c -> {
      Ops o = c.ops();
      Tensor positive = o.greater(c.x(0), o.zerosLike(c.x(0)));
      return List.of(o.select(positive, c.dy(), o.zerosLike(c.dy())));
    }));
    register(OpDef.of("sigmoid", MathOps::unaryFloat, c -> {
      Ops o = c.ops();
      Tensor y = c.y();
      return List.of(o.mul(c.dy(), o.mul(y, o.sub(o.onesLike(y), y))));
    }));
    register(OpDef.of("tanh", MathOps::unaryFloat, c -> {
      Ops o = c.ops();
      Tensor y = c.y();
      return List.of(o.mul(c.dy(), o.sub(o.onesLike(y), o.square(y))));
    }));
    register(OpDef.of("softmax", NnOps::lastAxis, c -> {
      // dx = y * (dy - sum(dy * y))
      Ops o = c.ops();
      Tensor y = c.y();
      Tensor dot = o.reduceSum(o.mul(c.dy(), y), new int[] {-1}, true);
      return List.of(o.mul(y, o.sub(c.dy(), dot)));
    }));
    register(OpDef.of("logSoftmax", NnOps::lastAxis, c -> {
      // dx = dy - softmax(x) * sum(dy)
      Ops o = c.ops();
      Tensor total = o.reduceSum(c.dy(), new int[] {-1}, true);
      return List.of(o.sub(c.dy(), o.mul(o.exp(c.y()), total)));
    }));
  }

  static List<TensorType> lastAxis(OpContext c) {
    c.requireInputs(1);
    c.requireFloating(0);
    if (c.shape(0).hasRank() && c.shape(0).rank() < 1) {
      throw c.fail("needs at least one axis, got a scalar");
    }
    return List.of(c.in(0));
  }
}
