package io.anygraph.interop.tf;

import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * Constant folding of shape arithmetic, as TensorFlow's grappler does before running: {@code Shape}
 * of a statically known shape, and {@code Pack}, {@code StridedSlice}, {@code Prod}, elementwise
 * arithmetic and the like on such values. A folder returns null when an input is not known, and the
 * node is then built as ops.
 */
final class TfFolding {
  private TfFolding() {}

  static Folded identity(TfOpContext c) {
    return c.folded(0);
  }

  /**
   * {@code Shape}: the static shape, NaN where a dimension is known only when run, so that slices
   * of its known part still fold; {@code out_type} int32 by default.
   */
  static Folded shape(TfOpContext c) {
    Shape s = c.in(0).shape();
    if (!s.hasRank()) {
      return null;
    }
    double[] v = new double[s.rank()];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.dim(i) == Shape.UNKNOWN ? Double.NaN : s.dim(i);
    }
    return new Folded(v, new long[] {v.length}, outType(c));
  }

  static Folded size(TfOpContext c) {
    Shape s = c.in(0).shape();
    return s.isFullyDefined() ? Folded.scalar(outType(c), s.size()) : null;
  }

  static Folded rank(TfOpContext c) {
    Shape s = c.in(0).shape();
    return s.hasRank() ? Folded.scalar(DType.INT32, s.rank()) : null;
  }

  static DType outType(TfOpContext c) {
    return c.node.has("out_type") ? c.node.dtype("out_type") : DType.INT32;
  }

  /** Elementwise on values of one shape, or a scalar with anything. */
  static TfOp.Folder elementwise(DoubleBinaryOperator f) {
    return c -> {
      Folded a = c.folded(0);
      Folded b = c.folded(1);
      if (a == null || b == null || a.dtype() != b.dtype()) {
        return null;
      }
      boolean sameShape = Arrays.equals(a.shape(), b.shape());
      if (!sameShape && a.values().length != 1 && b.values().length != 1) {
        return null;
      }
      Folded big = a.values().length >= b.values().length ? a : b;
      double[] out = new double[big.values().length];
      for (int i = 0; i < out.length; i++) {
        double x = a.values()[a.values().length == 1 ? 0 : i];
        double y = b.values()[b.values().length == 1 ? 0 : i];
        out[i] = f.applyAsDouble(x, y);
      }
      return new Folded(
          truncateIfInteger(out, a.dtype()), sameShape ? a.shape() : big.shape(), a.dtype());
    };
  }

  /** Integer division truncates (TensorFlow's Div on integers); FloorDiv passes floor itself. */
  private static double[] truncateIfInteger(double[] v, DType dtype) {
    if (dtype.isInteger()) {
      for (int i = 0; i < v.length; i++) {
        v[i] = v[i] < 0 ? Math.ceil(v[i]) : Math.floor(v[i]);
      }
    }
    return v;
  }

  static Folded cast(TfOpContext c) {
    Folded a = c.folded(0);
    if (a == null) {
      return null;
    }
    DType to = c.node.dtype("DstT");
    double[] v = a.values().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] =
          Double.isNaN(v[i])
              ? v[i]
              : to == DType.BOOL ? (v[i] != 0 ? 1 : 0) : to.isInteger() ? (long) v[i] : v[i];
    }
    return new Folded(v, a.shape(), to);
  }

  /** {@code Pack} of scalars into a vector (the computed shapes of {@code tf.reshape}). */
  static Folded pack(TfOpContext c) {
    double[] v = new double[c.arity()];
    DType dtype = null;
    for (int i = 0; i < c.arity(); i++) {
      Folded f = c.folded(i);
      if (f == null || f.rank() != 0 || dtype != null && f.dtype() != dtype) {
        return null;
      }
      dtype = f.dtype();
      v[i] = f.values()[0];
    }
    return dtype == null ? null : new Folded(v, new long[] {v.length}, dtype);
  }

  /** {@code ConcatV2} of vectors along axis 0. */
  static Folded concat(TfOpContext c) {
    int n = c.arity() - 1;
    double[] all = new double[0];
    DType dtype = null;
    for (int i = 0; i < n; i++) {
      Folded f = c.folded(i);
      if (f == null || f.rank() != 1 || dtype != null && f.dtype() != dtype) {
        return null;
      }
      dtype = f.dtype();
      double[] grown = Arrays.copyOf(all, all.length + f.values().length);
      System.arraycopy(f.values(), 0, grown, all.length, f.values().length);
      all = grown;
    }
    return dtype == null ? null : new Folded(all, new long[] {all.length}, dtype);
  }

  /** {@code Prod} of a vector over axis 0. */
  static Folded prod(TfOpContext c) {
    Folded a = c.folded(0);
    if (a == null || a.rank() != 1 || c.known(1) == null) {
      return null;
    }
    double p = 1;
    for (double v : a.values()) {
      p *= v;
    }
    boolean keep = c.node.bool("keep_dims", false);
    return keep
        ? new Folded(new double[] {p}, new long[] {1}, a.dtype())
        : Folded.scalar(a.dtype(), p);
  }

  /** {@code Reshape} of a known value: the same values under the new shape. */
  static Folded reshape(TfOpContext c) {
    Folded a = c.folded(0);
    Folded s = c.known(1);
    if (a == null || s == null) {
      return null;
    }
    long[] dims = s.longs();
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == -1) {
        unknown = i;
      } else {
        known *= dims[i];
      }
    }
    if (unknown >= 0 && known > 0) {
      dims[unknown] = a.values().length / known;
    }
    return new Folded(a.values(), dims, a.dtype());
  }

  static Folded expandDims(TfOpContext c) {
    Folded a = c.folded(0);
    Folded axis = c.known(1);
    if (a == null || axis == null) {
      return null;
    }
    int rank = a.rank() + 1;
    int ax = (int) axis.longs()[0];
    ax = ax < 0 ? ax + rank : ax;
    long[] dims = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      dims[i] = i == ax ? 1 : a.shape()[j++];
    }
    return new Folded(a.values(), dims, a.dtype());
  }

  /** {@code Slice} and {@code StridedSlice} of a vector. */
  static Folded slice1d(Folded a, long begin, long end, long stride) {
    int n = 0;
    double[] out = new double[a.values().length];
    for (long i = begin; stride > 0 ? i < end : i > end; i += stride) {
      out[n++] = a.values()[(int) i];
    }
    return new Folded(Arrays.copyOf(out, n), new long[] {n}, a.dtype());
  }

  static Folded slice(TfOpContext c) {
    Folded a = c.folded(0);
    if (a == null || a.rank() != 1 || c.known(1) == null || c.known(2) == null) {
      return null;
    }
    long begin = c.known(1).longs()[0];
    long size = c.known(2).longs()[0];
    long end = size < 0 ? a.values().length : begin + size;
    return slice1d(a, begin, end, 1);
  }
}
