package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * div (truncating, as C), floorDiv and floorMod (Python's // and %): hand-worked values with
 * negative operands, the extremes of each integer type, broadcasting, division by zero, and the
 * gradient of floorMod.
 */
class DivisionOpsTest {
  // a, b and the hand-worked a // b and a % b (the remainder takes b's sign)
  private static final long[] A = {-7, 7, -7, 7, 0, -6, 6, 1, -1, 1};
  private static final long[] B = {2, -2, -2, 2, -3, 3, -3, 5, 5, -5};
  private static final long[] FLOOR_DIV = {-4, -4, 3, 3, 0, -2, -2, 0, -1, -1};
  private static final long[] FLOOR_MOD = {1, -1, -1, 1, 0, 0, 0, 1, 4, -4};
  private static final long[] TRUNC_DIV = {-3, -3, 3, 3, 0, -2, -2, 0, 0, 0};

  private static Tensor ints(Graph g, DType dtype, long... values) {
    return g.constant(Nd4j.createFromArray(values).castTo(dtype.nd4j()));
  }

  private static long[] shape(long[] values) {
    return new long[] {values.length};
  }

  private static long[] shape(double[] values) {
    return new long[] {values.length};
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"INT8", "INT16", "INT32", "INT64"})
  @CoversForward({"floorDiv", "floorMod"})
  void integerFloorDivisionRoundsTowardMinusInfinity(DType dtype) {
    Graph g = new Graph();
    Tensor a = ints(g, dtype, A);
    Tensor b = ints(g, dtype, B);
    assertLongs(dtype, shape(A), FLOOR_DIV, run(a.floorDiv(b)));
    assertLongs(dtype, shape(A), FLOOR_MOD, run(a.floorMod(b)));
    // the type's extremes: the quotient's correction must not overflow
    long min = dtype.minValue();
    long max = dtype.maxValue();
    long[] x = {min, min, max, 5, -5, min, max};
    long[] y = {3, -3, -2, min, min, max, min};
    long[] q = new long[x.length];
    long[] r = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      q[i] = Math.floorDiv(x[i], y[i]);
      r[i] = Math.floorMod(x[i], y[i]);
    }
    assertLongs(dtype, shape(x), q, run(ints(g, dtype, x).floorDiv(ints(g, dtype, y))));
    assertLongs(dtype, shape(x), r, run(ints(g, dtype, x).floorMod(ints(g, dtype, y))));
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"INT8", "INT16", "INT32", "INT64"})
  void divOfIntegersTruncatesTowardZero(DType dtype) {
    Graph g = new Graph();
    assertLongs(dtype, shape(A), TRUNC_DIV, run(ints(g, dtype, A).div(ints(g, dtype, B))));
    long min = dtype.minValue();
    assertLongs(
        dtype,
        new long[] {2},
        new long[] {min / 3, min / -3},
        run(ints(g, dtype, min, min).div(ints(g, dtype, 3, -3))));
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT16", "FLOAT32", "FLOAT64"})
  @CoversForward({"floorDiv", "floorMod"})
  void floatFloorDivisionWithNegativeOperands(DType dtype) {
    Graph g = new Graph();
    double[] a = {-7.5, 7.5, -7.5, 7.5, -7, 5.25, -5.25, 0.5, -0.5};
    double[] b = {2, -2, -2, 2, 2, 1.5, 1.5, -4, -4};
    double[] floorDiv = {-4, -4, 3, 3, -4, 3, -4, -1, 0};
    double[] floorMod = {0.5, -0.5, -1.5, 1.5, 1, 0.75, 0.75, -3.5, -0.5};
    Tensor x = g.constant(doubles(shape(a), a).castTo(dtype.nd4j()));
    Tensor y = g.constant(doubles(shape(b), b).castTo(dtype.nd4j()));
    assertValues(dtype, shape(a), floorDiv, run(x.floorDiv(y)));
    assertValues(dtype, shape(a), floorMod, run(x.floorMod(y)));
  }

  @Test
  void largeFloatOperandsKeepTheirPrecision() {
    // 2^40 + 1 and 2^24 - 1 are exact in float64 and float32; an odd one mod -2 is -1
    Graph g = new Graph();
    Tensor big = g.constant(doubles(new long[] {2}, 1099511627777.0, -1099511627777.0));
    assertValues(
        DType.FLOAT64,
        new long[] {2},
        new double[] {-549755813889.0, 549755813888.0},
        run(big.floorDiv(-2)));
    assertValues(DType.FLOAT64, new long[] {2}, new double[] {-1, -1}, run(big.floorMod(-2)));
    Tensor odd = g.constant(Nd4j.createFromArray(16777215f, -16777215f));
    assertValues(DType.FLOAT32, new long[] {2}, new double[] {-1, -1}, run(odd.floorMod(-2)));
  }

  @Test
  void floatDivisionByZeroFollowsIeee() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {3}, 1, -1, 0));
    Tensor zero = g.constant(doubles(new long[] {3}, 0, 0, 0));
    INDArray q = run(x.floorDiv(zero));
    assertEquals(Double.POSITIVE_INFINITY, q.getDouble(0));
    assertEquals(Double.NEGATIVE_INFINITY, q.getDouble(1));
    assertTrue(Double.isNaN(q.getDouble(2)));
    INDArray r = run(x.floorMod(zero));
    for (int i = 0; i < 3; i++) {
      assertTrue(Double.isNaN(r.getDouble(i)), "x % 0 is NaN, as fmod: " + r);
    }
  }

  @Test
  void floorOpsBroadcastLikeNumPy() {
    Graph g = new Graph();
    long[] rows = {-7, 7, 10, -10, 3, -1};
    long[] cols = {3, -4, 5};
    Tensor a = g.constant(Nd4j.createFromArray(rows).reshape(2, 3));
    Tensor b = g.constant(Nd4j.createFromArray(cols));
    long[] q = new long[6];
    long[] r = new long[6];
    for (int i = 0; i < 6; i++) {
      q[i] = Math.floorDiv(rows[i], cols[i % 3]);
      r[i] = Math.floorMod(rows[i], cols[i % 3]);
    }
    assertLongs(DType.INT64, new long[] {2, 3}, q, run(a.floorDiv(b)));
    assertLongs(DType.INT64, new long[] {2, 3}, r, run(a.floorMod(b)));
    // a scalar dividend: -7 // [3, -4, 5] and -7 % [3, -4, 5]
    Tensor minusSeven = g.constant(Nd4j.scalar(-7L));
    assertLongs(DType.INT64, new long[] {3}, new long[] {-3, 1, -2}, run(minusSeven.floorDiv(b)));
    assertLongs(DType.INT64, new long[] {3}, new long[] {2, -3, 3}, run(minusSeven.floorMod(b)));
    // [2,1] against [1,3] and a scalar divisor: -7.5 and 2.5 against 2, -2, 0.75
    Tensor column = g.constant(doubles(new long[] {2, 1}, -7.5, 2.5));
    Tensor row = g.constant(doubles(new long[] {1, 3}, 2, -2, 0.75));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 3},
        new double[] {-4, 3, -10, 1, -2, 3},
        run(column.floorDiv(row)));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 3},
        new double[] {0.5, -1.5, 0, 0.5, -1.5, 0.25},
        run(column.floorMod(row)));
    assertValues(
        DType.FLOAT64, new long[] {2, 1}, new double[] {-0.5, -1}, run(column.floorMod(-3.5)));
  }

  @Test
  void integerDivisionByZeroIsAnErrorNamingTheNode() {
    Graph g = new Graph();
    Tensor x = g.constant(Nd4j.createFromArray(7, -7), "x");
    Tensor zero = g.constant(Nd4j.createFromArray(2, 0), "zero");
    List<Tensor> quotients =
        List.of(
            g.withName("quotient").floorDiv(x, zero), g.withName("remainder").floorMod(x, zero));
    for (Tensor t : quotients) {
      ArithmeticException e = assertThrows(ArithmeticException.class, () -> run(t));
      assertTrue(
          e.getMessage().contains("'" + t.node().name() + "'")
              && e.getMessage().contains(t.op())
              && e.getMessage().contains("zero")
              && e.getMessage().contains("int32[2]"),
          e.getMessage());
    }
    Tensor min = g.constant(Nd4j.createFromArray(Integer.MIN_VALUE, 8), "min");
    Tensor minusOne = g.constant(Nd4j.createFromArray(-1, -1), "minusOne");
    ArithmeticException e =
        assertThrows(ArithmeticException.class, () -> run(min.floorDiv(minusOne)));
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    // the remainder fits: MIN % -1 is 0
    assertLongs(DType.INT32, new long[] {2}, new long[] {0, 0}, run(min.floorMod(minusOne)));
  }

  @Test
  void boolOperandsAreRejectedWhenTheGraphIsBuilt() {
    Graph g = new Graph();
    Tensor t = g.constant(Nd4j.createFromArray(true, false), "flags");
    for (BinaryOperator<Tensor> op :
        List.<BinaryOperator<Tensor>>of(Tensor::floorDiv, Tensor::floorMod)) {
      AnygraphException e = assertThrows(AnygraphException.class, () -> op.apply(t, t));
      assertTrue(e.getMessage().contains("bool"), e.getMessage());
    }
  }

  @Test
  @CoversGradient("floorMod")
  void floorModGradientAgainstFiniteDifferences() {
    // a / b kept away from integers, where floorMod jumps
    INDArray a = doubles(new long[] {2, 3}, 1.5, -2.0, 0.25, 3.0, -0.5, 2.5);
    INDArray b = doubles(new long[] {3}, 0.7, 1.3, -0.9);
    GradCheck.check(List.of(a, b), xs -> xs.get(0).floorMod(xs.get(1)));
    GradCheck.check(
        List.of(doubles(new long[] {2, 1}, -7.3, 2.6), doubles(new long[] {1, 3}, 2, -2, 0.7)),
        xs -> xs.get(0).floorMod(xs.get(1)));
  }

  @Test
  void noGradientFlowsThroughFloorDiv() {
    // as TensorFlow: floorDiv is piecewise constant, so only the x term contributes
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {3}, -7.5, 1, 2.5));
    Tensor two = g.constant(doubles(new long[] {3}, 2, 2, 2));
    Tensor loss = x.floorDiv(two).add(x.mul(3)).sum();
    assertValues(DType.FLOAT64, new long[] {3}, new double[] {3, 3, 3}, run(g.grad(loss, x)));
  }
}
