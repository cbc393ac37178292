package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.Arrays;
import java.util.List;

/** Comparisons (boolean results, no gradient) and {@code select}, NumPy's {@code where}. */
final class CompareOpDefs {
  private CompareOpDefs() {}

  static void define() {
    for (String op : List.of("greater", "greaterEqual", "less", "lessEqual", "equal", "notEqual")) {
      register(OpDef.noGradient(op, CompareOpDefs::compare));
    }
    register(
        OpDef.of(
            "select",
            CompareOpDefs::select,
            c -> {
              Ops o = c.ops();
              Tensor zeros = o.zerosLike(c.dy());
              Tensor dA = MathOpDefs.unbroadcast(o, o.select(c.x(0), c.dy(), zeros), c.x(1));
              Tensor dB = MathOpDefs.unbroadcast(o, o.select(c.x(0), zeros, c.dy()), c.x(2));
              return Arrays.asList(null, dA, dB);
            }));
  }

  static List<TensorType> compare(OpContext c) {
    c.requireInputs(2);
    c.sameDType();
    return List.of(new TensorType(DType.BOOL, ShapeRules.broadcast(c, c.shape(0), c.shape(1))));
  }

  /** select(cond, a, b): a where cond, else b; all three broadcast together. */
  static List<TensorType> select(OpContext c) {
    c.requireInputs(3);
    if (c.dtype(0) != DType.BOOL) {
      throw c.fail("condition must be bool, not " + c.dtype(0));
    }
    if (c.dtype(1) != c.dtype(2)) {
      throw c.fail("branches differ in dtype: " + c.dtype(1) + " vs " + c.dtype(2));
    }
    Shape s = ShapeRules.broadcast(c, ShapeRules.broadcast(c, c.shape(0), c.shape(1)), c.shape(2));
    return List.of(new TensorType(c.dtype(1), s));
  }
}
