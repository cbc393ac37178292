package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/** Matrix products. */
final class LinalgOps {
  private LinalgOps() {}

  static void define() {
    register(OpDef.of("matmul", LinalgOps::matmul, c -> {
      Ops o = c.ops();
      boolean ta = c.node().attrs().getBool("transposeA", false);
      boolean tb = c.node().attrs().getBool("transposeB", false);
      Tensor a = c.x(0);
      Tensor b = c.x(1);
      Tensor g = c.dy();
      // the four cases of C = op(A) op(B), each written without explicit transposes
      if (!ta && !tb) {
        return List.of(o.matmul(g, b, false, true), o.matmul(a, g, true, false));
      } else if (!ta) {
        return List.of(o.matmul(g, b, false, false), o.matmul(g, a, true, false));
      } else if (!tb) {
        return List.of(o.matmul(b, g, false, true), o.matmul(a, g, false, false));
      }
      return List.of(o.matmul(b, g, true, true), o.matmul(g, a, true, true));
    }));
  }

  static List<TensorType> matmul(OpContext c) {
    c.requireInputs(2);
    c.sameDType();
    c.requireNumeric(0);
    Shape a = c.shape(0);
    Shape b = c.shape(1);
    if ((a.hasRank() && a.rank() != 2) || (b.hasRank() && b.rank() != 2)) {
      throw c.fail("matmul takes two matrices (rank 2), got ranks "
          + (a.hasRank() ? a.rank() : "?") + " and " + (b.hasRank() ? b.rank() : "?"));
    }
    boolean ta = c.attrs().getBool("transposeA", false);
    boolean tb = c.attrs().getBool("transposeB", false);
    long m = a.hasRank() ? a.dim(ta ? 1 : 0) : Shape.UNKNOWN;
    long ka = a.hasRank() ? a.dim(ta ? 0 : 1) : Shape.UNKNOWN;
    long kb = b.hasRank() ? b.dim(tb ? 1 : 0) : Shape.UNKNOWN;
    long n = b.hasRank() ? b.dim(tb ? 0 : 1) : Shape.UNKNOWN;
    if (ka != Shape.UNKNOWN && kb != Shape.UNKNOWN && ka != kb) {
      throw c.fail("inner dimensions differ: " + a + (ta ? "ᵀ" : "") + " × " + b + (tb ? "ᵀ" : "")
          + " (" + ka + " vs " + kb + ")");
    }
    return List.of(new TensorType(c.dtype(0), Shape.of(m, n)));
  }
}
