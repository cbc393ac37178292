package io.anygraph.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Arrays of every dtype in every layout a serializer meets: ordinary, permuted (the layout ND4J
 * 1.0.0-M2.1 mislabels as a dense 'c' array), sliced (an offset and gaps), rank 0 (also as a view
 * at an offset) and empty. Each comes with its row-major elements as plain Java numbers, the
 * independent expectation for {@link #assertHolds}.
 */
public final class ArrayZoo {
  private ArrayZoo() {}

  /**
   * One array and what it holds.
   *
   * @param values its elements in row-major order, as doubles (exact for every dtype here but
   *     int64, which is checked through {@code longs})
   * @param longs the same elements as longs, for integer and bool types
   */
  public record Specimen(
      String name, DType dtype, INDArray array, long[] shape, double[] values, long[] longs) {
    @Override
    public String toString() {
      return dtype.label() + " " + name + Arrays.toString(shape);
    }
  }

  /** Every dtype in every layout. */
  public static List<Specimen> all() {
    List<Specimen> out = new ArrayList<>();
    for (DType t : DType.values()) {
      out.addAll(of(t));
    }
    return out;
  }

  /** Every layout of one dtype. */
  public static List<Specimen> of(DType t) {
    List<Specimen> out = new ArrayList<>();
    INDArray ordinary = dense(t, 24, 0).reshape(2, 3, 4);
    out.add(specimen("ordinary", t, ordinary, 0));
    INDArray permuted = permuted(ordinary);
    assertFalse(Layouts.isDenseRowMajor(permuted), "the permuted specimen must be strided");
    out.add(specimen("permuted", t, permuted, 0));
    INDArray sliced = sliced(ordinary);
    assertFalse(Layouts.isDenseRowMajor(sliced), "the sliced specimen must be strided");
    out.add(specimen("sliced", t, sliced, 0));
    out.add(specimen("scalar", t, dense(t, 1, 7).reshape(new long[0]), 7));
    out.add(specimen("scalar view", t, sliced(dense(t, 1, 7).reshape(new long[0])), 7));
    out.add(specimen("empty", t, Nd4j.create(t.nd4j(), 2, 0, 4), 0));
    out.add(specimen("empty vector", t, Nd4j.create(t.nd4j(), 0), 0));
    return out;
  }

  /** The permutation that swaps the last two axes (its own inverse). */
  public static int[] swapLastTwo(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = i;
    }
    p[rank - 2] = rank - 1;
    p[rank - 1] = rank - 2;
    return p;
  }

  /**
   * An array equal to {@code dense} that is a permutation of a fresh buffer holding the values
   * permuted the other way: the layout ND4J mislabels ({@code [2, 3, 4]} gets strides {@code [12,
   * 1, 4]}, ordering 'c', not a view). Strided unless one of the last two dimensions is 1. Needs
   * rank 2 or more.
   */
  public static INDArray permuted(INDArray dense) {
    int[] p = swapLastTwo(dense.rank());
    return dense.permute(p).dup('c').permute(p);
  }

  /** An array equal to {@code dense} that is the interior of a larger one (offset, gaps). */
  public static INDArray sliced(INDArray dense) {
    long[] shape = dense.shape();
    if (shape.length == 0) {
      INDArray holder = Nd4j.create(dense.dataType(), 3);
      INDArray view = holder.get(NDArrayIndex.point(1)); // a scalar view at offset 1
      view.assign(dense);
      return view;
    }
    long[] big = new long[shape.length];
    INDArrayIndex[] interior = new INDArrayIndex[shape.length];
    for (int d = 0; d < shape.length; d++) {
      big[d] = shape[d] + 2;
      interior[d] = NDArrayIndex.interval(1, shape[d] + 1);
    }
    INDArray view = Nd4j.create(dense.dataType(), big).get(interior);
    view.assign(dense);
    return view;
  }

  /**
   * Element k of the sequence starting at {@code start}: distinct small numbers, and for floating
   * types -0.0, infinities and NaN among them; the extremes of integer types.
   */
  static double element(DType t, long k) {
    if (t == DType.BOOL) {
      return k % 3 == 0 ? 1 : 0;
    }
    if (t.isFloating()) {
      return switch ((int) (k % 11)) {
        case 3 -> -0.0;
        case 5 -> Double.POSITIVE_INFINITY;
        case 7 -> Double.NaN;
        case 9 -> Double.NEGATIVE_INFINITY;
        default -> (k % 17 - 8) / 4.0; // exact in float16 and bfloat16
      };
    }
    if (k % 10 == 4) {
      return t.minValue();
    }
    return k % 10 == 6 ? t.maxValue() : k % 23 - 11;
  }

  private static INDArray dense(DType t, int n, long start) {
    if (t.isInteger()) {
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = elementLong(t, start + i);
      }
      return Nd4j.createFromArray(v).castTo(t.nd4j());
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = element(t, start + i);
    }
    return Nd4j.createFromArray(v).castTo(t.nd4j());
  }

  private static long elementLong(DType t, long k) {
    if (t == DType.INT64 && k % 10 == 4) {
      return Long.MIN_VALUE;
    }
    if (t == DType.INT64 && k % 10 == 6) {
      return Long.MAX_VALUE;
    }
    return (long) element(t, k);
  }

  /** A specimen whose row-major elements are the sequence from {@code start}. */
  private static Specimen specimen(String name, DType t, INDArray a, long start) {
    int n = (int) a.length();
    double[] values = new double[n];
    long[] longs = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = element(t, start + i);
      longs[i] = elementLong(t, start + i);
    }
    return new Specimen(name, t, a, a.shape(), values, longs);
  }

  /**
   * Asserts {@code actual} has the specimen's dtype, shape and elements exactly (bit for bit for
   * floating types, any NaN matching any NaN; -0.0 is not 0.0).
   */
  public static void assertHolds(Specimen s, INDArray actual, String what) {
    assertEquals(s.dtype().nd4j(), actual.dataType(), what + " " + s + ": dtype");
    assertArrayEquals(s.shape(), actual.shape(), what + " " + s + ": shape");
    INDArray c = actual.dup('c'); // element-wise reads of a fresh copy trust no layout flags
    for (int i = 0; i < s.values().length; i++) {
      if (s.dtype().isFloating()) {
        double want = s.values()[i];
        double got = c.getDouble(i);
        boolean same =
            Double.isNaN(want)
                ? Double.isNaN(got)
                : Double.doubleToRawLongBits(want) == Double.doubleToRawLongBits(got);
        if (!same) {
          fail(what + " " + s + ": element " + i + " is " + got + ", expected " + want);
        }
      } else {
        long want = s.longs()[i];
        long got = s.dtype() == DType.BOOL ? (c.getDouble(i) != 0 ? 1 : 0) : c.getLong(i);
        assertEquals(want, got, what + " " + s + ": element " + i);
      }
    }
  }
}
