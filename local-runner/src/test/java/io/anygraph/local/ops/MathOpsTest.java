package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Ops;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Elementwise arithmetic: values against java.lang.Math, broadcasting, integer semantics. */
class MathOpsTest {
  private static final double[] A = {1.5, -2.0, 0.25, 3.0, -0.5, 2.5};
  private static final double[] B = {0.5, 4.0, -1.25};

  /** a [2,3] op b [3] broadcast over rows, against a loop with Java's own arithmetic. */
  private static void checkBinary(BinaryOperator<Tensor> op, DoubleBinaryOperator ref) {
    Graph g = new Graph();
    Tensor a = g.constant(doubles(new long[] {2, 3}, A));
    Tensor b = g.constant(doubles(new long[] {3}, B));
    double[] expected = new double[6];
    for (int i = 0; i < 6; i++) {
      expected[i] = ref.applyAsDouble(A[i], B[i % 3]);
    }
    assertValues(DType.FLOAT64, new long[] {2, 3}, expected, run(op.apply(a, b)));
  }

  private static void checkUnary(UnaryOperator<Tensor> op, DoubleUnaryOperator ref, double[] x) {
    Graph g = new Graph();
    Tensor t = g.constant(doubles(new long[] {x.length}, x));
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = ref.applyAsDouble(x[i]);
    }
    assertValues(DType.FLOAT64, new long[] {x.length}, expected, run(op.apply(t)));
  }

  @Test
  @CoversForward({"add", "sub", "mul", "div", "maximum", "minimum"})
  void binaryOpsBroadcastLikeNumPy() {
    checkBinary(Tensor::add, (x, y) -> x + y);
    checkBinary(Tensor::sub, (x, y) -> x - y);
    checkBinary(Tensor::mul, (x, y) -> x * y);
    checkBinary(Tensor::div, (x, y) -> x / y);
    checkBinary(Tensor::maximum, Math::max);
    checkBinary(Tensor::minimum, Math::min);
  }

  @Test
  @CoversForward("pow")
  void powOfPositiveBasesAndIntegerExponents() {
    Graph g = new Graph();
    Tensor base = g.constant(doubles(new long[] {4}, 2, 9, 0.5, -3));
    Tensor exponent = g.constant(doubles(new long[] {4}, 10, 0.5, -2, 3));
    assertValues(
        DType.FLOAT64, new long[] {4}, new double[] {1024, 3, 4, -27}, run(base.pow(exponent)));
  }

  @Test
  @CoversForward({"neg", "square", "sqrt", "exp", "log", "abs", "sign"})
  void unaryOpsAgreeWithJavaMath() {
    double[] any = {-2.5, -1, 0, 0.5, 3};
    double[] positive = {0.01, 0.5, 1, 2, 100};
    checkUnary(Tensor::neg, x -> -x, any);
    checkUnary(Tensor::square, x -> x * x, any);
    checkUnary(Tensor::sqrt, Math::sqrt, positive);
    checkUnary(Tensor::exp, Math::exp, any);
    checkUnary(Tensor::log, Math::log, positive);
    checkUnary(Tensor::abs, Math::abs, any);
    checkUnary(t -> t.graph().ops().sign(t), Math::signum, any);
  }

  @Test
  void integerArithmeticWrapsAndTruncatesLikeC() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT8, "a");
    Tensor b = g.placeholder(DType.INT8, "b");
    Map<Tensor, Integer> feeds = Map.of(a, 100, b, 100);
    assertLongs(DType.INT8, new long[0], new long[] {(byte) 200}, run(a.add(b), feeds));
    Tensor x = g.constant(Nd4j.createFromArray(7, -7, 7, -7));
    Tensor y = g.constant(Nd4j.createFromArray(2, 2, -2, -2));
    assertLongs(
        DType.INT32, new long[] {4}, new long[] {7 / 2, -7 / 2, 7 / -2, -7 / -2}, run(x.div(y)));
  }

  @Test
  void integerDivisionByZeroOrOverflowIsAnErrorNotACrash() {
    Graph g = new Graph();
    Tensor x = g.constant(Nd4j.createFromArray(1, 2), "x");
    Tensor zero = g.constant(Nd4j.createFromArray(1, 0), "zero");
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> run(x.div(zero)));
    assertTrue(e.getMessage().contains("div") && e.getMessage().contains("zero"), e.getMessage());
    Tensor min = g.constant(Nd4j.createFromArray(Integer.MIN_VALUE, 4), "min");
    Tensor minusOne = g.constant(Nd4j.createFromArray(-1, -1), "minusOne");
    e = assertThrows(ArithmeticException.class, () -> run(min.div(minusOne)));
    assertTrue(e.getMessage().contains("overflow"), e.getMessage());
  }

  @Test
  @CoversGradient({"add", "sub", "mul", "div", "maximum", "minimum"})
  void binaryGradientsSumOverBroadcastAxes() {
    INDArray a = doubles(new long[] {2, 3}, A);
    INDArray b = doubles(new long[] {3}, B);
    List<INDArray> ab = List.of(a, b);
    GradCheck.check(ab, xs -> xs.get(0).add(xs.get(1)));
    GradCheck.check(ab, xs -> xs.get(0).sub(xs.get(1)));
    GradCheck.check(ab, xs -> xs.get(0).mul(xs.get(1)));
    GradCheck.check(ab, xs -> xs.get(0).div(xs.get(1)));
    GradCheck.check(ab, xs -> xs.get(0).maximum(xs.get(1)));
    GradCheck.check(ab, xs -> xs.get(0).minimum(xs.get(1)));
    // [2,1] against [1,3]: both sides broadcast
    GradCheck.check(
        List.of(doubles(new long[] {2, 1}, 1.5, -2), doubles(new long[] {1, 3}, B)),
        xs -> xs.get(0).mul(xs.get(1)));
  }

  @Test
  @CoversGradient("pow")
  void powGradientWithRespectToBaseAndExponent() {
    GradCheck.check(
        List.of(doubles(new long[] {3}, 0.5, 1.5, 2.0), doubles(new long[] {3}, 2, -1.5, 0.7)),
        xs -> xs.get(0).pow(xs.get(1)));
  }

  @Test
  @CoversGradient({"neg", "square", "sqrt", "exp", "log", "abs", "sign"})
  void unaryGradients() {
    INDArray any = doubles(new long[] {2, 2}, -1.5, 0.3, 2.0, -0.7);
    INDArray positive = doubles(new long[] {2, 2}, 0.2, 1.3, 2.0, 5.0);
    GradCheck.check(any, Tensor::neg);
    GradCheck.check(any, Tensor::square);
    GradCheck.check(positive, Tensor::sqrt);
    GradCheck.check(any, Tensor::exp);
    GradCheck.check(positive, Tensor::log);
    GradCheck.check(any, Tensor::abs);
    GradCheck.check(any, t -> t.graph().ops().sign(t).add(t));
  }

  @Test
  void secondDerivativeOfSquareRootThroughDiv() {
    // d²/dx² sqrt(x) = -1/4 x^(-3/2): at x = 4 that is -1/32
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, "x");
    Ops o = g.ops();
    Tensor d2 = g.grad(g.grad(o.sqrt(x), x), x);
    assertValues(DType.FLOAT64, new long[0], new double[] {-1.0 / 32}, run(d2, Map.of(x, 4.0)));
  }
}
