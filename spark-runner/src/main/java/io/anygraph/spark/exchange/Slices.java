package io.anygraph.spark.exchange;

import io.anygraph.core.Layouts;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cuts a tensor into {@code n} slices of its row-major elements and joins them back: slice {@code
 * k} of a tensor of {@code len} elements holds elements {@code [len k / n, len (k + 1) / n)}, so
 * every owner's slices of equal-shaped tensors line up element for element.
 */
public final class Slices {
  private Slices() {}

  /** The first element of slice {@code k} of {@code n} over {@code len} elements. */
  public static long from(long len, int k, int n) {
    return len * k / n;
  }

  /** Elements in slice {@code k} of {@code n}. */
  public static long length(long len, int k, int n) {
    return from(len, k + 1, n) - from(len, k, n);
  }

  /** Slice {@code k} of {@code n} of {@code a}'s row-major elements, as a new 1-D array. */
  public static INDArray of(INDArray a, int k, int n) {
    long len = a.length();
    INDArray flat = Layouts.denseRowMajor(a).reshape('c', new long[] {len});
    return flat.get(NDArrayIndex.interval(from(len, k, n), from(len, k + 1, n))).dup('c');
  }

  /** The slices, in slice order, joined back into one array of {@code shape}. */
  public static INDArray join(List<INDArray> slices, long[] shape) {
    INDArray[] flat =
        slices.stream().map(s -> s.reshape('c', new long[] {s.length()})).toArray(INDArray[]::new);
    INDArray all = flat.length == 1 ? flat[0].dup('c') : Nd4j.concat(0, flat);
    return all.reshape('c', shape);
  }
}
