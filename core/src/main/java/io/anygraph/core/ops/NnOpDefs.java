package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Ops;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * Activations and normalized exponentials. {@code softmax} and {@code logSoftmax} work along
 * attribute {@code axis} (absent: the last, as TensorFlow's default -1) and subtract the maximum
 * first, so large logits do not overflow. Cross-entropies are
 * built from these in {@link io.anygraph.core.Nn}.
 */
final class NnOpDefs {
  private NnOpDefs() {}

  static void define() {
    register(OpDef.of("relu", MathOpDefs::unaryFloat, c -> {
      Ops o = c.ops();
      Tensor positive = o.greater(c.x(0), o.zerosLike(c.x(0)));
      return List.of(o.select(positive, c.dy(), o.zerosLike(c.dy())));
    }));
    register(OpDef.of("sigmoid", MathOpDefs::unaryFloat, c -> {
      Ops o = c.ops();
      Tensor y = c.y();
      return List.of(o.mul(c.dy(), o.mul(y, o.sub(o.onesLike(y), y))));
    }));
    register(OpDef.of("tanh", MathOpDefs::unaryFloat, c -> {
      Ops o = c.ops();
      Tensor y = c.y();
      return List.of(o.mul(c.dy(), o.sub(o.onesLike(y), o.square(y))));
    }));
    register(OpDef.of("softmax", NnOpDefs::alongAxis, c -> {
      // dx = y * (dy - sum(dy * y))
      Ops o = c.ops();
      Tensor y = c.y();
      Tensor dot = o.reduceSum(o.mul(c.dy(), y), axisOf(c), true);
      return List.of(o.mul(y, o.sub(c.dy(), dot)));
    }));
    register(OpDef.of("logSoftmax", NnOpDefs::alongAxis, c -> {
      // dx = dy - softmax(x) * sum(dy)
      Ops o = c.ops();
      Tensor total = o.reduceSum(c.dy(), axisOf(c), true);
      return List.of(o.sub(c.dy(), o.mul(o.exp(c.y()), total)));
    }));
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
