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
import io.anygraph.core.Nn;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Activations, softmax and cross-entropies against formulas evaluated in plain Java. */
class NnOpsTest {
  private static final double[] X = {-3, -0.5, 0.25, 2, 0.1, -1.5};

  private static void checkUnary(UnaryOperator<Tensor> op, DoubleUnaryOperator ref) {
    Graph g = new Graph();
    double[] expected = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      expected[i] = ref.applyAsDouble(X[i]);
    }
    assertValues(
        DType.FLOAT64,
        new long[] {2, 3},
        expected,
        run(op.apply(g.constant(doubles(new long[] {2, 3}, X)))));
  }

  /** log(sum(exp(row))) computed with the maximum taken out, in plain Java. */
  static double logSumExp(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    double s = 0;
    for (double v : row) {
      s += Math.exp(v - m);
    }
    return m + Math.log(s);
  }

  @Test
  @CoversForward({"relu", "sigmoid", "tanh"})
  void activations() {
    checkUnary(t -> t.graph().nn().relu(t), v -> Math.max(v, 0));
    checkUnary(t -> t.graph().nn().sigmoid(t), v -> 1 / (1 + Math.exp(-v)));
    checkUnary(t -> t.graph().nn().tanh(t), Math::tanh);
  }

  @Test
  @CoversForward("reluGrad")
  void reluGradPassesDyWherePositiveOnly() {
    // x = 0 and NaN give 0, as TensorFlow's ReluGrad (x > 0 ? dy : 0)
    double[] x = {-2, 0, 0.5, Double.NaN, 3, -0.0};
    double[] dy = {7, 8, -9, 10, Double.NaN, 11};
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = x[i] > 0 ? dy[i] : 0;
    }
    for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      Graph g = new Graph();
      Tensor out =
          g.nn()
              .reluGrad(
                  g.constant(doubles(new long[] {2, 3}, x).castTo(t.nd4j())),
                  g.constant(doubles(new long[] {2, 3}, dy).castTo(t.nd4j())));
      INDArray got = run(out);
      assertEquals(t.nd4j(), got.dataType());
      double[] values = got.castTo(DataType.DOUBLE).data().asDouble();
      for (int i = 0; i < x.length; i++) {
        assertEquals(expected[i], values[i], 0, t + " element " + i);
      }
    }
  }

  @Test
  void reluGradRefusesShapesThatDifferOrIntegers() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> g.nn().reluGrad(x, g.placeholder(DType.FLOAT32, Shape.of(2, 4), "dy")));
    assertTrue(
        e.getMessage().contains("reluGrad")
            && e.getMessage().contains("[?, 3]")
            && e.getMessage().contains("[2, 4]"),
        e.getMessage());
    assertThrows(
        AnygraphException.class,
        () -> g.nn().reluGrad(x, g.placeholder(DType.FLOAT64, Shape.of(2, 3), "dy64")));
    Tensor ints = g.placeholder(DType.INT32, Shape.of(2, 3), "ints");
    assertThrows(AnygraphException.class, () -> g.nn().reluGrad(ints, ints));
  }

  @Test
  @CoversGradient("reluGrad")
  void reluGradGradientsAndReluSecondDerivative() {
    INDArray x = doubles(new long[] {2, 3}, X);
    INDArray dy = doubles(new long[] {2, 3}, new double[] {0.3, -1.2, 2.5, 0.7, -0.4, 1.1});
    GradCheck.check(List.of(x, dy), xs -> xs.get(0).graph().nn().reluGrad(xs.get(0), xs.get(1)));
    // d/dx of d/dx sum(relu(x)^2) = 2 where x > 0: through reluGrad's own gradient
    GradCheck.check(
        x, t -> t.graph().grad(t.graph().nn().relu(t).square().sum(), List.of(t)).get(0));
  }

  @Test
  @CoversForward({"softmax", "logSoftmax"})
  void softmaxRowsAreStableForLargeLogits() {
    double[][] rows = {{1, 2, 3}, {1000, 1001, 999}, {-1000, 0, 5}};
    Graph g = new Graph();
    Tensor logits = g.constant(Nd4j.createFromArray(rows));
    INDArray soft = run(g.nn().softmax(logits));
    INDArray logSoft = run(g.nn().logSoftmax(logits));
    for (int r = 0; r < 3; r++) {
      double lse = logSumExp(rows[r]);
      for (int k = 0; k < 3; k++) {
        assertEquals(Math.exp(rows[r][k] - lse), soft.getDouble(r, k), 1e-12);
        assertEquals(rows[r][k] - lse, logSoft.getDouble(r, k), 1e-9);
      }
    }
  }

  @Test
  void crossEntropiesMatchLogSumExpMinusTheLabelsLogit() {
    double[][] rows = {{2, -1, 0.5}, {1000, -1000, 999}};
    Graph g = new Graph();
    Nn nn = g.nn();
    Tensor logits = g.constant(Nd4j.createFromArray(rows));
    Tensor labels = g.constant(Nd4j.createFromArray(2, 0));
    double[] expected = {logSumExp(rows[0]) - 0.5, logSumExp(rows[1]) - 1000};
    assertValues(
        DType.FLOAT64,
        new long[] {2},
        expected,
        run(nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels)));
    Tensor dense = g.constant(Nd4j.createFromArray(new double[][] {{0.5, 0, 0.5}, {0, 0, 1}}));
    double[] mixed = {logSumExp(rows[0]) - 0.5 * 2 - 0.5 * 0.5, logSumExp(rows[1]) - 999};
    assertValues(
        DType.FLOAT64, new long[] {2}, mixed, run(nn.softmaxCrossEntropyWithLogits(logits, dense)));
  }

  @Test
  void badLabelsAreClearErrors() {
    Graph g = new Graph();
    Tensor logits = g.placeholder(DType.FLOAT32, Shape.of(-1, 10), "logits");
    Tensor labels = g.placeholder(DType.INT32, Shape.of(-1), "labels");
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, labels);
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () ->
                run(
                    loss,
                    Map.of(logits, Nd4j.zeros(DataType.FLOAT, 2, 10), labels, new int[] {3, 10})));
    assertTrue(
        e.getMessage().contains("oneHot") && e.getMessage().contains("index 10"), e.getMessage());
    Tensor floats = g.placeholder(DType.FLOAT32, Shape.of(-1), "floatLabels");
    assertThrows(
        AnygraphException.class, () -> g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, floats));
  }

  @Test
  @CoversGradient({"relu", "sigmoid", "tanh", "softmax", "logSoftmax"})
  void gradients() {
    INDArray x = doubles(new long[] {2, 3}, X);
    GradCheck.check(x, t -> t.graph().nn().relu(t));
    GradCheck.check(x, t -> t.graph().nn().sigmoid(t));
    GradCheck.check(x, t -> t.graph().nn().tanh(t));
    GradCheck.check(x, t -> t.graph().nn().softmax(t));
    GradCheck.check(x, t -> t.graph().nn().logSoftmax(t));
    GradCheck.check(
        List.of(x, Nd4j.createFromArray(1, 2)),
        xs -> xs.get(0).graph().nn().sparseSoftmaxCrossEntropyWithLogits(xs.get(0), xs.get(1)));
  }

  /** Softmax of a row-major [2, 3, 2] array along one axis, by explicit loops. */
  private static double[] softmaxLoop(double[] x, int axis, boolean log) {
    int[] dims = {2, 3, 2};
    int[] strides = {6, 2, 1};
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int start = i - (i / strides[axis] % dims[axis]) * strides[axis];
      double[] line = new double[dims[axis]];
      for (int k = 0; k < dims[axis]; k++) {
        line[k] = x[start + k * strides[axis]];
      }
      double logP = x[i] - logSumExp(line);
      out[i] = log ? logP : Math.exp(logP);
    }
    return out;
  }

  @Test
  @CoversForward({"softmax", "logSoftmax"})
  void softmaxAlongAnyAxisOfAnyRank() {
    double[] v = {1, 2, 3, 1000, 999, -1000, 0.5, 0, -2, 4, 1, 1};
    long[] shape = {2, 3, 2};
    Graph g = new Graph();
    Tensor x = g.constant(doubles(shape, v));
    for (int axis : new int[] {0, 1, 2}) {
      assertValues(DType.FLOAT64, shape, softmaxLoop(v, axis, false), run(g.nn().softmax(x, axis)));
      assertValues(
          DType.FLOAT64, shape, softmaxLoop(v, axis, true), run(g.nn().logSoftmax(x, axis)));
    }
    assertValues(DType.FLOAT64, shape, softmaxLoop(v, 1, false), run(g.nn().softmax(x, -2)));
    assertValues(DType.FLOAT64, shape, softmaxLoop(v, 2, true), run(g.nn().logSoftmax(x)));
    double[] row = {0, 1, 2};
    double lse = logSumExp(row);
    assertValues(
        DType.FLOAT64,
        new long[] {3},
        new double[] {Math.exp(-lse), Math.exp(1 - lse), Math.exp(2 - lse)},
        run(g.nn().softmax(g.constant(doubles(new long[] {3}, row)))));
    AnygraphException e = assertThrows(AnygraphException.class, () -> g.nn().softmax(x, 3));
    assertTrue(e.getMessage().contains("axis 3"), e.getMessage());
  }

  @Test
  @CoversGradient({"softmax", "logSoftmax"})
  void softmaxGradientsAlongAnInnerAxis() {
    INDArray x = doubles(new long[] {2, 3, 2}, 1, 2, 3, 0.5, -1, 0, 0.5, 0, -2, 4, 1, 1);
    GradCheck.check(x, t -> t.graph().nn().softmax(t, 1));
    GradCheck.check(x, t -> t.graph().nn().logSoftmax(t, 0));
  }

  @Test
  void denseCrossEntropyRefusesLabelsOfAnotherShape() { // gradients: CrossEntropyOpsTest
    Graph g = new Graph();
    Tensor l = g.placeholder(DType.FLOAT64, Shape.of(-1, 3), "logits");
    Tensor wrong = g.placeholder(DType.FLOAT64, Shape.of(-1, 4), "labels");
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> g.nn().softmaxCrossEntropyWithLogits(l, wrong));
    assertTrue(
        e.getMessage().contains("labels") && e.getMessage().contains("differ"), e.getMessage());
  }

  @Test
  @CoversForward({"argMax", "oneHot"})
  void argMaxAndOneHot() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {2, 3}, X));
    assertLongs(DType.INT64, new long[] {2}, new long[] {2, 0}, run(g.ops().argMax(x, 1)));
    assertLongs(DType.INT64, new long[] {3}, new long[] {1, 1, 0}, run(g.ops().argMax(x, 0)));
    Tensor idx = g.constant(Nd4j.createFromArray(2, 0, 5));
    assertValues(
        DType.FLOAT32,
        new long[] {3, 3},
        new double[] {0, 0, 1, 1, 0, 0, 0, 0, 0},
        run(g.ops().oneHot(idx, 3, DType.FLOAT32, false)));
    // a transposed (strided) view of indices: read in its own row-major order, not the buffer's
    Tensor grid = g.ops().transpose(g.constant(Nd4j.createFromArray(new int[][] {{0, 1}, {2, 2}})));
    assertValues(
        DType.FLOAT32,
        new long[] {2, 2, 3},
        new double[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1},
        run(g.ops().oneHot(grid, 3, DType.FLOAT32, false)));
  }
}
