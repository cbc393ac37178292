package io.anygraph.core.autodiff;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sparse gradient, as TensorFlow's {@code IndexedSlices}: {@code rows} [n..., d...] that belong
 * at rows {@code indices} [n...] of a value shaped like {@code like} [vocab, d...] (repeated
 * indices add up).
 *
 * <p>In the graph it is a {@code scatterAdd(like, indices, rows)} node: the gradient of {@code
 * gather}, standing for the dense value. Nothing dense runs unless something reads that node:
 * optimizers take {@link #of} the gradient and apply its rows with scatter updates; sums of sparse
 * gradients concatenate their rows ({@link #concat}); a sparse gradient added to a dense one is
 * densified explicitly by that add, which reads the scatterAdd node.
 *
 * <pre>{@code
 * Tensor grad = g.grad(loss, table);                  // table: a [vocab, dim] variable
 * IndexedSlices slices = IndexedSlices.of(grad).orElseThrow();
 * IndexedSlices unique = slices.summedDuplicates();   // [u, dim] rows, u distinct int64 indices
 * }</pre>
 *
 * <p>Second derivatives through the sparse path are not provided: gradients of the dense node still
 * work (scatterAdd's gradient is a gather), but {@code sumDuplicateRows} has no gradient.
 */
public record IndexedSlices(Tensor like, Tensor indices, Tensor rows) {
  /** The op that carries a sparse gradient in the graph. */
  public static final String OP = "scatterAdd";

  /** The rows and indices of {@code grad} when it is a sparse gradient. */
  public static Optional<IndexedSlices> of(Tensor grad) {
    if (!grad.op().equals(OP)) {
      return Optional.empty();
    }
    return Optional.of(
        new IndexedSlices(grad.node().input(0), grad.node().input(1), grad.node().input(2)));
  }

  /** The dense value these slices stand for (a new scatterAdd node; it runs only if read). */
  public Tensor dense() {
    return graph().add(OP, List.of(like, indices, rows), Attrs.empty(), null).get(0);
  }

  /**
   * The same slices with each index once, ascending, and the rows of repeated indices summed in the
   * order they came (rows [u, d...], indices int64 [u]).
   */
  public IndexedSlices summedDuplicates() {
    List<Tensor> out = graph().add("sumDuplicateRows", List.of(rows, indices), Attrs.empty(), null);
    return new IndexedSlices(like, out.get(1), out.get(0));
  }

  /**
   * Bytes the rows and indices occupy when there are {@code n} of them, and bytes of the dense
   * value they stand for: what a step's gradient costs sparse and dense.
   */
  public Bytes bytes(long n) {
    Shape s = like.shape();
    long rowElements = 1;
    for (int d = 1; d < s.rank(); d++) {
      rowElements *= s.dim(d);
    }
    long dense = s.isFullyDefined() ? s.size() * like.dtype().bytes() : -1;
    return new Bytes(n * (rowElements * rows.dtype().bytes() + indices.dtype().bytes()), dense);
  }

  /**
   * Bytes of a sparse gradient's rows plus indices, beside those of the dense value (-1: unknown).
   */
  public record Bytes(long sparse, long dense) {
    @Override
    public String toString() {
      return "sparse " + sparse + " B (rows + indices) vs dense " + dense + " B";
    }
  }

  /**
   * The sum of several sparse gradients of one value: their rows and indices joined, in order; null
   * when they cannot be joined statically (a row shape not known), so the caller adds densely.
   */
  static IndexedSlices concat(List<IndexedSlices> parts) {
    IndexedSlices first = parts.get(0);
    Shape s = first.like.shape();
    if (!s.hasRank() || s.rank() == 0) {
      return null;
    }
    long[] rowShape = new long[s.rank()];
    rowShape[0] = -1;
    for (int d = 1; d < s.rank(); d++) {
      if (s.dim(d) == Shape.UNKNOWN) {
        return null;
      }
      rowShape[d] = s.dim(d);
    }
    Graph g = first.graph();
    List<Tensor> rows = new ArrayList<>();
    List<Tensor> indices = new ArrayList<>();
    for (IndexedSlices p : parts) {
      rows.add(g.ops().reshape(p.rows, rowShape));
      Tensor idx = g.ops().reshape(p.indices, -1);
      indices.add(idx.dtype() == DType.INT64 ? idx : idx.cast(DType.INT64));
    }
    return new IndexedSlices(first.like, g.ops().concat(indices, 0), g.ops().concat(rows, 0));
  }

  private Graph graph() {
    return like.graph();
  }
}
