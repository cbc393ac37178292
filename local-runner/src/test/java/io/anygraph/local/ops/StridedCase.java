package io.anygraph.local.ops;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One way to run an op for {@link StridedInputsTest}: its inputs (dtype, shape, which values) and
 * attributes. The values are small multiples of 1/4 so that sums and products are exact in every
 * floating type, whatever order a kernel adds them in.
 */
record StridedCase(String op, Attrs attrs, List<In> inputs, Builder builder) {

  /** Builds the op's outputs from its input tensors (by default, the op itself with attrs). */
  @FunctionalInterface
  interface Builder {
    List<Tensor> build(Graph g, List<Tensor> xs, Attrs attrs);
  }

  /** Which values an input holds. */
  enum Values {
    /** Signed: (7k mod 13 - 6) / 4 (integers for integer types). */
    SIGNED,
    /** Strictly positive: (7k mod 13 + 1) / 4. */
    POSITIVE,
    /** Indices in [0, bound): 7k mod bound. */
    INDEX,
    /** The literal values given (shape vectors, begins, sizes). */
    LITERAL
  }

  /**
   * An input. {@code layoutFree} inputs (shape vectors, begins and sizes) are always fed dense: a
   * broadcast or sliced shape vector is another vector, not another layout of the same one.
   */
  record In(DType dtype, long[] shape, Values values, long bound, long[] literal, int seed) {
    boolean layoutFree() {
      return values == Values.LITERAL;
    }

    /** The dense value of this input. */
    INDArray value() {
      if (values == Values.LITERAL) {
        return Nd4j.createFromArray(literal).castTo(dtype.nd4j());
      }
      long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
      double[] v = new double[(int) n];
      for (int k = 0; k < n; k++) {
        long j = 7L * (k + seed);
        v[k] =
            switch (values) {
              case SIGNED -> (j % 13 - 6) / (dtype.isFloating() ? 4.0 : 1.0);
              case POSITIVE -> (j % 13 + 1) / (dtype.isFloating() ? 4.0 : 1.0);
              case INDEX -> j % bound;
              case LITERAL -> throw new IllegalStateException();
            };
        if (dtype == DType.BOOL) {
          v[k] = (k + seed) % 3 == 0 ? 1 : 0;
        }
      }
      return Nd4j.createFromArray(v).reshape(shape).castTo(dtype.nd4j());
    }
  }

  static In signed(DType t, long... shape) {
    return new In(t, shape, Values.SIGNED, 0, null, 0);
  }

  /** Signed values starting elsewhere in the sequence, so two inputs differ. */
  static In signed2(DType t, long... shape) {
    return new In(t, shape, Values.SIGNED, 0, null, 5);
  }

  static In positive(DType t, long... shape) {
    return new In(t, shape, Values.POSITIVE, 0, null, 0);
  }

  static In index(DType t, long bound, long... shape) {
    return new In(t, shape, Values.INDEX, bound, null, 0);
  }

  static In literal(long... values) {
    return new In(DType.INT64, new long[] {values.length}, Values.LITERAL, 0, values, 0);
  }

  static StridedCase of(String op, Attrs attrs, In... inputs) {
    return new StridedCase(op, attrs, List.of(inputs), (g, xs, a) -> g.add(op, xs, a, null));
  }

  static StridedCase of(String op, In... inputs) {
    return of(op, Attrs.empty(), inputs);
  }

  static StridedCase built(String op, Builder builder, In... inputs) {
    return new StridedCase(op, Attrs.empty(), List.of(inputs), builder);
  }

  List<Tensor> build(Graph g, List<Tensor> xs) {
    return builder.build(g, xs, attrs);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(op).append('(');
    for (In in : inputs) {
      b.append(in.dtype().label()).append(Arrays.toString(in.shape())).append(' ');
    }
    return b.toString().trim() + ") " + attrs;
  }
}
