package io.anygraph.interop.tf;

import io.anygraph.core.DType;
import io.anygraph.core.Tensor;
import java.util.List;

/**
 * TensorFlow 2's functional control flow as Anygraph's ({@link io.anygraph.core.ControlFlow}):
 * {@code If}/{@code StatelessIf} become {@code condAll}, {@code While}/{@code StatelessWhile}
 * become {@code whileLoop}, each function of the library traced as a branch or body. A {@code
 * tf.while_loop}'s {@code maximum_iterations} needs nothing here: TensorFlow encodes it as two more
 * loop variables (a counter and the limit) and a {@code LogicalAnd} in the cond function. {@code
 * parallel_iterations} is a scheduling hint, ignored.
 */
final class TfControlFlow {
  private TfControlFlow() {}

  /** {@code If(cond, input...)}: the outputs of then_branch(input...) or else_branch(input...). */
  static List<Tensor> ifOp(TfOpContext c) {
    TfFunctions library = c.importer().functions();
    Tensor pred = truth(c, c.in(0), "its cond (input 0)");
    List<Tensor> args = List.copyOf(c.ins().subList(1, c.arity()));
    return c.g
        .control()
        .condAll(
            pred,
            () -> library.call(c, "then_branch", args),
            () -> library.call(c, "else_branch", args));
  }

  /** {@code While(input...)}: repeats {@code body} on the loop variables while {@code cond}. */
  static List<Tensor> whileOp(TfOpContext c) {
    TfFunctions library = c.importer().functions();
    if (c.arity() == 0) {
      throw c.fail("has no loop variables");
    }
    return c.g
        .control()
        .whileLoop(
            vars -> truth(c, condResult(c, library.call(c, "cond", vars)), "its cond's result"),
            vars -> library.call(c, "body", vars),
            List.copyOf(c.ins()));
  }

  private static Tensor condResult(TfOpContext c, List<Tensor> results) {
    if (results.size() != 1) {
      throw c.fail("its cond function returns " + results.size() + " values, not one");
    }
    return results.get(0);
  }

  /** TensorFlow's truth of a scalar: a bool as is, a number when nonzero. */
  private static Tensor truth(TfOpContext c, Tensor t, String what) {
    if (t.shape().hasRank() && t.shape().rank() == 0) {
      if (t.dtype() == DType.BOOL) {
        return t;
      }
      if (t.dtype().isNumeric()) {
        return c.ops().notEqual(t, c.ops().scalarLike(0, t));
      }
    }
    throw c.fail(what + " " + t.name() + " " + t.type() + " must be a bool or number scalar");
  }
}
