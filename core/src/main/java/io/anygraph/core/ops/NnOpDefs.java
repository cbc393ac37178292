package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * Activations and normalized exponentials. {@code softmax} and {@code logSoftmax} work along
 * attribute {@code axis} (absent: the last, as TensorFlow's default -1) and subtract the maximum
 * first, so large logits do not overflow. Cross-entropies are built from these in {@link
 * io.anygraph.core.Nn}.
 */
final class NnOpDefs {
  private NnOpDefs() {}

  static void define() {
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
    Shape x = c.shape(0);
    Shape dy = c.shape(1);
    if (!x.hasRank() || !dy.hasRank()) {
      return List.of(new TensorType(t, x.hasRank() ? x : dy));
    }
    if (x.rank() != dy.rank()) {
      throw c.fail("x has shape " + x + " but dy has shape " + dy + ": they must be equal");
    }
    long[] dims = new long[x.rank()];
    for (int i = 0; i < dims.length; i++) {
      long a = x.dim(i);
      long b = dy.dim(i);
      if (a != Shape.UNKNOWN && b != Shape.UNKNOWN && a != b) {
        throw c.fail("x has shape " + x + " but dy has shape " + dy + ": they must be equal");
      }
      dims[i] = a == Shape.UNKNOWN ? b : a;
    }
    return List.of(new TensorType(t, Shape.of(dims)));
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
