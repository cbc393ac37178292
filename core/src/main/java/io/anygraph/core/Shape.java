package io.anygraph.core;

import java.util.Arrays;

/**
 * A static tensor shape. A dimension may be unknown ({@code -1}, TensorFlow's {@code None}); the
 * whole rank may be unknown too ({@link #unknownRank()}), as for a placeholder declared without a
 * shape.
 */
public final class Shape {
  public static final long UNKNOWN = -1;
  private static final Shape UNKNOWN_RANK = new Shape(null);
  private static final Shape SCALAR = new Shape(new long[0]);

  private final long[] dims; // null when the rank is unknown

  private Shape(long[] dims) {
    this.dims = dims;
  }

  public static Shape of(long... dims) {
    for (long d : dims) {
      if (d < UNKNOWN) {
        throw new IllegalArgumentException(
            "Invalid dimension " + d + " in shape " + Arrays.toString(dims));
      }
    }
    return dims.length == 0 ? SCALAR : new Shape(dims.clone());
  }

  public static Shape of(int... dims) {
    return of(Arrays.stream(dims).asLongStream().toArray());
  }

  public static Shape scalar() {
    return SCALAR;
  }

  public static Shape unknownRank() {
    return UNKNOWN_RANK;
  }

  /** A shape of known rank whose dimensions are all unknown. */
  public static Shape unknownDims(int rank) {
    long[] d = new long[rank];
    Arrays.fill(d, UNKNOWN);
    return new Shape(d);
  }

  public boolean hasRank() {
    return dims != null;
  }

  public int rank() {
    if (dims == null) {
      throw new IllegalStateException("rank of a shape of unknown rank");
    }
    return dims.length;
  }

  public long dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  public long[] dims() {
    if (dims == null) {
      throw new IllegalStateException("dims of a shape of unknown rank");
    }
    return dims.clone();
  }

  public boolean isScalar() {
    return dims != null && dims.length == 0;
  }

  public boolean isFullyDefined() {
    if (dims == null) {
      return false;
    }
    for (long d : dims) {
      if (d == UNKNOWN) {
        return false;
      }
    }
    return true;
  }

  /** Number of elements, or -1 when not fully defined. */
  public long size() {
    if (!isFullyDefined()) {
      return UNKNOWN;
    }
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /** Whether a value of shape {@code concrete} may flow where this shape is declared. */
  public boolean accepts(Shape concrete) {
    if (dims == null || concrete.dims == null) {
      return true;
    }
    if (dims.length != concrete.dims.length) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != UNKNOWN && concrete.dims[i] != UNKNOWN && dims[i] != concrete.dims[i]) {
        return false;
      }
    }
    return true;
  }

  public Shape withDim(int i, long d) {
    long[] c = dims();
    c[i] = d;
    return new Shape(c);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** {@code [?, 784]} style; {@code <unknown>} for unknown rank. */
  @Override
  public String toString() {
    if (dims == null) {
      return "<unknown>";
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      b.append(i > 0 ? ", " : "").append(dims[i] == UNKNOWN ? "?" : Long.toString(dims[i]));
    }
    return b.append(']').toString();
  }
}
