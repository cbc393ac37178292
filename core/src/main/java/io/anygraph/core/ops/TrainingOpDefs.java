package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * Ops the optimizers and learning-rate schedules build.
 *
 * <ul>
 *   <li>{@code sumDuplicateRows(rows, indices)}: a sparse gradient (rows [n..., d...] for indices
 *       [n...]) with each index once: outputs (summed rows [u, d...], indices [u] int64), indices
 *       ascending, each sum taken in the order the rows came. A fixed order, so that the same rows
 *       gathered from any number of shards sum to the same bits.
 *   <li>{@code scatterSub(ref, indices, rows)}, {@code scatterUpdate(ref, indices, rows)}: the
 *       variable with {@code rows} subtracted from (or written over) its rows {@code indices}, as
 *       {@code tf.scatter_sub} / {@code tf.scatter_update}; they output the new value. Indices
 *       outside the variable's rows fail the run, naming the node, the index and the row count.
 *   <li>{@code cos(x)}: elementwise cosine (cosine decay); its gradient {@code -cos(pi/2 - x)} is
 *       built from cos itself, so every derivative exists.
 * </ul>
 */
final class TrainingOpDefs {
  private TrainingOpDefs() {}

  static void define() {
    register(OpDef.noGradient("sumDuplicateRows", TrainingOpDefs::sumDuplicateRows));
    register(OpDef.noGradient("scatterSub", TrainingOpDefs::scatter).asStateful().withRefInputs(1));
    register(
        OpDef.noGradient("scatterUpdate", TrainingOpDefs::scatter).asStateful().withRefInputs(1));
    register(
        OpDef.of(
            "cos",
            MathOpDefs::unaryFloat,
            c -> {
              Ops o = c.ops();
              Tensor sin = o.cos(o.sub(o.scalarLike(Math.PI / 2, c.x(0)), c.x(0)));
              return List.of(o.neg(o.mul(c.dy(), sin)));
            }));
  }

  private static List<TensorType> sumDuplicateRows(OpContext c) {
    c.requireInputs(2);
    if (!c.dtype(1).isInteger()) {
      throw c.fail("indices must be integers, not " + c.dtype(1));
    }
    Shape rows = c.shape(0);
    Shape idx = c.shape(1);
    if (!rows.hasRank() || !idx.hasRank() || rows.rank() < idx.rank()) {
      throw c.fail("rows need the indices' shape followed by a row's shape");
    }
    for (int d = 0; d < idx.rank(); d++) {
      if (!Shape.of(rows.dim(d)).accepts(Shape.of(idx.dim(d)))
          && !Shape.of(idx.dim(d)).accepts(Shape.of(rows.dim(d)))) {
        throw c.fail("rows " + rows + " do not start with the indices' shape " + idx);
      }
    }
    long[] out = new long[rows.rank() - idx.rank() + 1];
    out[0] = Shape.UNKNOWN;
    for (int d = idx.rank(); d < rows.rank(); d++) {
      out[d - idx.rank() + 1] = rows.dim(d);
    }
    return List.of(
        new TensorType(c.dtype(0), Shape.of(out)), new TensorType(DType.INT64, Shape.of(-1)));
  }

  private static List<TensorType> scatter(OpContext c) {
    c.requireInputs(3);
    if (!c.inputs().isEmpty() && !c.inputs().get(0).op().equals(OpNames.VARIABLE)) {
      throw c.fail(
          "the first input must be a variable, not the output of a '"
              + c.inputs().get(0).op()
              + "' op");
    }
    if (!c.dtype(1).isInteger() || !c.shape(1).hasRank() || c.shape(1).rank() != 1) {
      throw c.fail("indices must be an integer vector, not " + c.in(1));
    }
    if (c.dtype(0) != c.dtype(2)) {
      throw c.fail("rows have dtype " + c.dtype(2) + ", the variable " + c.dtype(0));
    }
    Shape ref = c.shape(0);
    Shape rows = c.shape(2);
    if (!ref.hasRank() || ref.rank() == 0 || !rows.hasRank() || rows.rank() != ref.rank()) {
      throw c.fail("rows " + rows + " must have the variable's rank, and it must be >= 1");
    }
    for (int d = 1; d < ref.rank(); d++) {
      if (ref.dim(d) != Shape.UNKNOWN
          && rows.dim(d) != Shape.UNKNOWN
          && ref.dim(d) != rows.dim(d)) {
        throw c.fail("rows " + rows + " are not rows of the variable " + ref);
      }
    }
    return List.of(c.in(0));
  }
}
