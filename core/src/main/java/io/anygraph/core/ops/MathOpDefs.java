package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpDef.of;
import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/** Elementwise arithmetic with NumPy broadcasting, and elementwise functions. */
final class MathOpDefs {
  private MathOpDefs() {}

  static void define() {
    register(of("add", MathOpDefs::binary, c -> unbroadcastBoth(c, c.dy(), c.dy())));
    register(of("sub", MathOpDefs::binary, c -> unbroadcastBoth(c, c.dy(), c.ops().neg(c.dy()))));
    register(
        of(
            "mul",
            MathOpDefs::binary,
            c -> unbroadcastBoth(c, c.ops().mul(c.dy(), c.x(1)), c.ops().mul(c.dy(), c.x(0)))));
    register(
        of(
            "div",
            MathOpDefs::binary,
            c -> {
              Ops o = c.ops();
              Tensor da = o.div(c.dy(), c.x(1));
              // d(a/b)/db = -a/b^2 = -(a/b)/b
              Tensor db = o.neg(o.mul(c.dy(), o.div(c.y(), c.x(1))));
              return unbroadcastBoth(c, da, db);
            }));
    // Python's // and % (TensorFlow's floordiv, floormod): the quotient rounded toward -infinity
    // and the remainder a - floor(a / b) b, which takes b's sign. floorDiv is piecewise constant:
    // no gradient, as in TensorFlow.
    register(OpDef.noGradient("floorDiv", MathOpDefs::numericBinary));
    register(
        of(
            "floorMod",
            MathOpDefs::numericBinary,
            c -> {
              Ops o = c.ops();
              Tensor db = o.neg(o.mul(c.dy(), o.floorDiv(c.x(0), c.x(1))));
              return unbroadcastBoth(c, c.dy(), db);
            }));
    register(
        of(
            "pow",
            MathOpDefs::binary,
            c -> {
              Ops o = c.ops();
              Tensor x = c.x(0);
              Tensor p = c.x(1);
              Tensor dx = o.mul(c.dy(), o.mul(p, o.pow(x, o.sub(p, o.scalarLike(1, p)))));
              // d(x^p)/dp = x^p log x, taken as 0 where x <= 0 (as TensorFlow does)
              Tensor positive = o.greater(x, o.zerosLike(x));
              Tensor safeX = o.select(positive, x, o.onesLike(x));
              Tensor dp = o.mul(c.dy(), o.mul(c.y(), o.log(safeX)));
              return unbroadcastBoth(c, dx, dp);
            }));
    register(
        of(
            "maximum",
            MathOpDefs::binary,
            c -> {
              Ops o = c.ops();
              Tensor pickA = o.greaterEqual(c.x(0), c.x(1));
              Tensor zeros = o.zerosLike(c.dy());
              return unbroadcastBoth(
                  c, o.select(pickA, c.dy(), zeros), o.select(pickA, zeros, c.dy()));
            }));
    register(
        of(
            "minimum",
            MathOpDefs::binary,
            c -> {
              Ops o = c.ops();
              Tensor pickA = o.lessEqual(c.x(0), c.x(1));
              Tensor zeros = o.zerosLike(c.dy());
              return unbroadcastBoth(
                  c, o.select(pickA, c.dy(), zeros), o.select(pickA, zeros, c.dy()));
            }));

    register(of("neg", MathOpDefs::unaryNumeric, c -> List.of(c.ops().neg(c.dy()))));
    register(
        of(
            "square",
            MathOpDefs::unaryNumeric,
            c -> {
              Ops o = c.ops();
              return List.of(o.mul(c.dy(), o.mul(c.x(0), o.scalarLike(2, c.x(0)))));
            }));
    register(
        of(
            "sqrt",
            MathOpDefs::unaryFloat,
            c -> {
              Ops o = c.ops();
              return List.of(o.div(c.dy(), o.mul(c.y(), o.scalarLike(2, c.y()))));
            }));
    register(of("exp", MathOpDefs::unaryFloat, c -> List.of(c.ops().mul(c.dy(), c.y()))));
    register(of("log", MathOpDefs::unaryFloat, c -> List.of(c.ops().div(c.dy(), c.x(0)))));
    register(
        of(
            "abs",
            MathOpDefs::unaryNumeric,
            c -> List.of(c.ops().mul(c.dy(), c.ops().sign(c.x(0))))));
    // sign is flat almost everywhere: its gradient is zero, which keeps abs twice differentiable
    register(of("sign", MathOpDefs::unaryNumeric, c -> List.of(c.ops().zerosLike(c.x(0)))));
  }

  static List<TensorType> binary(OpContext c) {
    c.requireInputs(2);
    return List.of(new TensorType(c.sameDType(), ShapeRules.broadcast(c, c.shape(0), c.shape(1))));
  }

  /** A broadcasting binary op on numbers (not bool). */
  static List<TensorType> numericBinary(OpContext c) {
    List<TensorType> out = binary(c);
    c.requireNumeric(0);
    return out;
  }

  static List<TensorType> unaryNumeric(OpContext c) {
    c.requireInputs(1);
    c.requireNumeric(0);
    return List.of(c.in(0));
  }

  static List<TensorType> unaryFloat(OpContext c) {
    c.requireInputs(1);
    c.requireFloating(0);
    return List.of(c.in(0));
  }

  /** Gradients of a broadcasting binary op: each summed back to its input's shape. */
  static List<Tensor> unbroadcastBoth(GradContext c, Tensor da, Tensor db) {
    return List.of(
        unbroadcast(c.ops(), da, c.x(0), c.x(1)), unbroadcast(c.ops(), db, c.x(1), c.x(0)));
  }

  /**
   * {@code grad} (of the op's output's shape) summed back to x's shape, where x was broadcast
   * against {@code other}: left as it is when the static shapes show that other widens no axis of
   * x, even with unknown sizes (a [?, 28, 28, 8] activation plus a [8] bias: the activation's
   * gradient is dy itself, where a run-time {@code reduceSumLike} would copy it every step).
   */
  static Tensor unbroadcast(Ops o, Tensor grad, Tensor x, Tensor other) {
    return keepsShape(x.shape(), other.shape()) ? grad : unbroadcast(o, grad, x);
  }

  /**
   * Whether broadcasting x against other gives x's own shape at run time: other has no more axes,
   * and on each axis they share, other is 1 or x's known size is not 1 (then other must match it).
   */
  private static boolean keepsShape(Shape x, Shape other) {
    if (!x.hasRank() || !other.hasRank() || other.rank() > x.rank()) {
      return false;
    }
    for (int i = 1; i <= other.rank(); i++) {
      long xd = x.dim(x.rank() - i);
      long od = other.dim(other.rank() - i);
      if (od != 1 && (xd == Shape.UNKNOWN || xd == 1)) {
        return false;
      }
    }
    return true;
  }

  /** Sums {@code grad} over the axes along which {@code x} was broadcast. */
  static Tensor unbroadcast(Ops o, Tensor grad, Tensor x) {
    if (grad.shape().isFullyDefined() && grad.shape().equals(x.shape())) {
      return grad;
    }
    return o.reduceSumLike(grad, x);
  }
}
