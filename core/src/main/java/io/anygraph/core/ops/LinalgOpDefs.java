package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Matrix products, as {@code tf.linalg.matmul}: operands of rank 2 or more, the last two axes are
 * the matrices and the leading (batch) axes broadcast like NumPy's; attributes {@code transposeA}
 * and {@code transposeB} transpose the last two axes. Rank 1 is refused, as TensorFlow does.
 */
final class LinalgOpDefs {
  private LinalgOpDefs() {}

  static void define() {
    register(
        OpDef.of(
            "matmul",
            LinalgOpDefs::matmul,
            c -> {
              Ops o = c.ops();
              boolean ta = c.node().attrs().getBool("transposeA", false);
              boolean tb = c.node().attrs().getBool("transposeB", false);
              Tensor a = c.x(0);
              Tensor b = c.x(1);
              Tensor g = c.dy();
              // the four cases of C = op(A) op(B), each written without explicit transposes
              Tensor da;
              Tensor db;
              if (!ta && !tb) {
                da = o.matmul(g, b, false, true);
                db = o.matmul(a, g, true, false);
              } else if (!ta) {
                da = o.matmul(g, b, false, false);
                db = o.matmul(g, a, true, false);
              } else if (!tb) {
                da = o.matmul(b, g, false, true);
                db = o.matmul(a, g, false, false);
              } else {
                da = o.matmul(b, g, true, true);
                db = o.matmul(g, a, true, true);
              }
              if (isMatrix(a) && isMatrix(b)) {
                return List.of(da, db);
              }
              // batched: each gradient has the broadcast batch axes; sum it back to its operand's
              // shape
              return List.of(MathOpDefs.unbroadcast(o, da, a), MathOpDefs.unbroadcast(o, db, b));
            }));
  }

  private static boolean isMatrix(Tensor t) {
    return t.shape().hasRank() && t.shape().rank() == 2;
  }

  static List<TensorType> matmul(OpContext c) {
    c.requireInputs(2);
    c.sameDType();
    c.requireNumeric(0);
    Shape a = c.shape(0);
    Shape b = c.shape(1);
    if ((a.hasRank() && a.rank() < 2) || (b.hasRank() && b.rank() < 2)) {
      throw c.fail(
          "matmul takes matrices or batches of matrices (rank >= 2), got ranks "
              + rankOf(a)
              + " and "
              + rankOf(b)
              + " (expandDims a vector to a 1-row or 1-column matrix)");
    }
    boolean ta = c.attrs().getBool("transposeA", false);
    boolean tb = c.attrs().getBool("transposeB", false);
    long m = a.hasRank() ? a.dim(ta ? -1 : -2) : Shape.UNKNOWN;
    long ka = a.hasRank() ? a.dim(ta ? -2 : -1) : Shape.UNKNOWN;
    long kb = b.hasRank() ? b.dim(tb ? -1 : -2) : Shape.UNKNOWN;
    long n = b.hasRank() ? b.dim(tb ? -2 : -1) : Shape.UNKNOWN;
    if (ka != Shape.UNKNOWN && kb != Shape.UNKNOWN && ka != kb) {
      throw c.fail(
          "inner dimensions differ: "
              + a
              + (ta ? "ᵀ" : "")
              + " × "
              + b
              + (tb ? "ᵀ" : "")
              + " ("
              + ka
              + " vs "
              + kb
              + ")");
    }
    if (!a.hasRank() || !b.hasRank()) {
      return List.of(new TensorType(c.dtype(0), Shape.unknownRank()));
    }
    if (a.rank() == 2 && b.rank() == 2) {
      return List.of(new TensorType(c.dtype(0), Shape.of(m, n)));
    }
    Shape batchA = batchOf(a);
    Shape batchB = batchOf(b);
    Shape batch = ShapeRules.broadcastOrNull(batchA, batchB);
    if (batch == null) {
      throw c.fail(
          "batch dimensions "
              + batchA
              + " of "
              + a
              + " and "
              + batchB
              + " of "
              + b
              + " cannot be broadcast together");
    }
    long[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
    out[batch.rank()] = m;
    out[batch.rank() + 1] = n;
    return List.of(new TensorType(c.dtype(0), Shape.of(out)));
  }

  /** The leading axes of a shape of rank >= 2 (all but the matrix axes). */
  static Shape batchOf(Shape s) {
    return Shape.of(Arrays.copyOf(s.dims(), s.rank() - 2));
  }

  private static String rankOf(Shape s) {
    return s.hasRank() ? Integer.toString(s.rank()) : "?";
  }
}
