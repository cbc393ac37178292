package io.anygraph.core;

import io.anygraph.core.ops.ShapeRules;

/**
 * Masked softmax and scaled dot-product attention, composed from existing ops (select, softmax,
 * matmul, cumsum), so their gradients, second derivatives and sharding come from those ops. Reached
 * through {@link Nn}.
 */
final class Attention {
  private Attention() {}

  /**
   * softmax(select(mask, logits, lowest)) * mask along {@code axis}: masked positions get
   * probability exactly 0 (their exp underflows to 0 after the maximum is subtracted), and a line
   * whose every position is masked gives all zeros rather than NaN or a uniform line.
   */
  static Tensor maskedSoftmax(Graph g, Tensor logits, Tensor mask, int axis) {
    checkMask("softmax", logits, mask);
    Ops o = g.ops();
    Tensor lowest = o.scalarLike(lowest(logits.dtype()), logits);
    Tensor y = g.nn().softmax(o.select(mask, logits, lowest), axis);
    return o.mul(y, o.cast(mask, logits.dtype()));
  }

  /**
   * softmax(q kᵀ / sqrt(d), mask) v over the last two axes; leading axes (batch, heads) broadcast
   * as in {@link Ops#matmul}.
   */
  static Tensor attention(Graph g, Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
    Ops o = g.ops();
    for (Tensor t : new Tensor[] {q, k, v}) {
      if (!t.shape().hasRank() || t.shape().rank() < 2 || !t.dtype().isFloating()) {
        throw new AnygraphException(
            "attention: q, k and v must be floating tensors [..., time, depth]; "
                + describe(q, k, v));
      }
    }
    long d = q.shape().dim(q.shape().rank() - 1);
    long dk = k.shape().dim(k.shape().rank() - 1);
    long tk = k.shape().dim(k.shape().rank() - 2);
    long tv = v.shape().dim(v.shape().rank() - 2);
    if (d != Shape.UNKNOWN && dk != Shape.UNKNOWN && d != dk
        || tk != Shape.UNKNOWN && tv != Shape.UNKNOWN && tk != tv
        || q.dtype() != k.dtype()
        || q.dtype() != v.dtype()) {
      throw new AnygraphException(
          "attention: q and k need one depth, k and v one key length, all one dtype; "
              + describe(q, k, v));
    }
    Tensor scores = o.matmul(q, k, false, true);
    Tensor scale =
        d != Shape.UNKNOWN
            ? o.scalarLike(1 / Math.sqrt(d), scores)
            : o.div(o.scalarLike(1, scores), o.sqrt(o.cast(o.size(q, -1), q.dtype())));
    scores = o.mul(scores, scale);
    Tensor allowed = mask;
    if (causal) {
      Tensor c = causalMask(g, scores);
      allowed = mask == null ? c : o.select(mask, c, mask); // mask and c
    }
    Tensor weights =
        allowed == null ? g.nn().softmax(scores) : maskedSoftmax(g, scores, allowed, -1);
    return o.matmul(weights, v);
  }

  /**
   * A bool mask shaped like {@code scores} [..., query, key]: true where key ≤ query, so a position
   * attends only to itself and earlier ones. Positions are counted with cumsum, so the lengths may
   * be known only when the graph runs.
   */
  static Tensor causalMask(Graph g, Tensor scores) {
    if (!scores.shape().hasRank() || scores.shape().rank() < 2) {
      throw new AnygraphException(
          "causalMask: "
              + scores.name()
              + " must have rank 2 or more ([..., query, key]), not "
              + scores.shape());
    }
    Ops o = g.ops();
    Tensor ones = o.onesLike(scores);
    Tensor key = o.cumsum(ones, -1, true, false);
    Tensor query = o.cumsum(ones, -2, true, false);
    return o.lessEqual(key, query);
  }

  private static void checkMask(String op, Tensor logits, Tensor mask) {
    if (mask.dtype() != DType.BOOL || !logits.dtype().isFloating()) {
      throw new AnygraphException(
          op
              + ": the mask must be bool and the logits floating; logits "
              + logits.name()
              + " "
              + logits.type()
              + ", mask "
              + mask.name()
              + " "
              + mask.type());
    }
    Shape joint = ShapeRules.broadcastOrNull(logits.shape(), mask.shape());
    boolean fits =
        joint != null
            && (!mask.shape().hasRank()
                || !logits.shape().hasRank()
                || mask.shape().rank() <= logits.shape().rank() && fitsInto(mask, logits));
    if (!fits) {
      throw new AnygraphException(
          op
              + ": mask "
              + mask.name()
              + " "
              + mask.shape()
              + " does not broadcast to logits "
              + logits.name()
              + " "
              + logits.shape());
    }
  }

  /** Each known mask dimension is 1 or the logits' dimension. */
  private static boolean fitsInto(Tensor mask, Tensor logits) {
    int shift = logits.shape().rank() - mask.shape().rank();
    for (int i = 0; i < mask.shape().rank(); i++) {
      long m = mask.shape().dim(i);
      long l = logits.shape().dim(i + shift);
      if (m != 1 && m != Shape.UNKNOWN && l != Shape.UNKNOWN && m != l) {
        return false;
      }
    }
    return true;
  }

  /** The most negative finite value of a floating dtype. */
  static double lowest(DType t) {
    return switch (t) {
      case FLOAT16 -> -65504.0;
      case BFLOAT16 -> -3.3895313892515355e38;
      case FLOAT32 -> -Float.MAX_VALUE;
      default -> -Double.MAX_VALUE;
    };
  }

  private static String describe(Tensor q, Tensor k, Tensor v) {
    return "q " + q.name() + " " + q.type() + ", k " + k.name() + " " + k.type() + ", v " + v.name()
        + " " + v.type();
  }
}
