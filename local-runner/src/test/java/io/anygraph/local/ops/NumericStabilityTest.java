package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax, log-softmax, the cross-entropies and sigmoid at logits of ±1000, where a naive exp
 * overflows (e^1000) or a whole line underflows to 0 (e^-1000): values and gradients must be finite
 * and equal to the formulas worked out here in plain Java doubles, in float32 and float64.
 */
class NumericStabilityTest {
  /** Rows of extreme logits; every value is exact in float32 (and float16). */
  private static final double[][] LOGITS = {
    {1, 0, -1},
    {-1000, -1001, -1002}, // every exp underflows: a softmax without the max gives 0 / 0
    {1000, -1000, 0},
    {1000, 1001, 999}, // every exp overflows
    {-1000, 1000, 1},
  };

  /** A probability distribution per row, for the dense cross-entropy. */
  private static final double[][] LABELS = {
    {0.2, 0.3, 0.5}, {1, 0, 0}, {0, 1, 0}, {0.5, 0, 0.5}, {0.25, 0.25, 0.5}
  };

  private static final long[] CLASSES = {2, 0, 1, 2, 0};

  private static double tolerance(DType dtype) {
    return dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
  }

  /** log(sum(exp(row))), the reference NnOpsTest uses too. */
  private static double logSumExp(double[] row) {
    return NnOpsTest.logSumExp(row);
  }

  /** log(1 + e^t) without overflow: t + log(1 + e^-t) for positive t. */
  private static double softplus(double t) {
    return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
  }

  /** 1 / (1 + e^-t), written so that neither branch overflows. */
  private static double sigmoid(double t) {
    return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  }

  private static double[][] map(double[][] rows, RowFunction f) {
    double[][] out = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      out[r] = new double[rows[r].length];
      for (int k = 0; k < rows[r].length; k++) {
        out[r][k] = f.at(r, k);
      }
    }
    return out;
  }

  @FunctionalInterface
  private interface RowFunction {
    double at(int row, int column);
  }

  private static Tensor constant(Graph g, double[][] rows, DType dtype) {
    return g.constant(Nd4j.createFromArray(rows).castTo(dtype.nd4j()));
  }

  /** Every value finite and within {@code tol * max(1, |expected|)} of expected, same dtype. */
  private static void assertClose(DType dtype, double[][] expected, INDArray actual, double tol) {
    assertEquals(dtype.nd4j(), actual.dataType(), "dtype");
    double[] got = actual.castTo(DataType.DOUBLE).data().asDouble();
    double[] want = flatten(expected);
    assertEquals(want.length, got.length, "length");
    for (int i = 0; i < want.length; i++) {
      assertTrue(Double.isFinite(got[i]), "element " + i + " is " + got[i]);
      assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), "element " + i);
    }
  }

  private static double[] flatten(double[][] rows) {
    return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
  }

  private static double[][] transpose(double[][] rows) {
    double[][] t = new double[rows[0].length][rows.length];
    for (int r = 0; r < rows.length; r++) {
      for (int k = 0; k < rows[r].length; k++) {
        t[k][r] = rows[r][k];
      }
    }
    return t;
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void softmaxAndLogSoftmaxOfExtremeLogits(DType dtype) {
    Graph g = new Graph();
    Tensor x = constant(g, LOGITS, dtype);
    double[][] logP = map(LOGITS, (r, k) -> LOGITS[r][k] - logSumExp(LOGITS[r]));
    assertClose(
        dtype, map(logP, (r, k) -> Math.exp(logP[r][k])), run(g.nn().softmax(x)), tolerance(dtype));
    assertClose(dtype, logP, run(g.nn().logSoftmax(x)), tolerance(dtype));
    // the same rows as columns, normalized along axis 0
    Tensor columns = constant(g, transpose(LOGITS), dtype);
    assertClose(
        dtype,
        transpose(map(logP, (r, k) -> Math.exp(logP[r][k]))),
        run(g.nn().softmax(columns, 0)),
        tolerance(dtype));
    assertClose(dtype, transpose(logP), run(g.nn().logSoftmax(columns, 0)), tolerance(dtype));
    // a transposed (strided) value: normalized along its own axis 0, not the buffer's
    Tensor permuted = g.ops().transpose(x);
    assertClose(
        dtype,
        transpose(map(logP, (r, k) -> Math.exp(logP[r][k]))),
        run(g.nn().softmax(permuted, 0)),
        tolerance(dtype));
    assertClose(dtype, transpose(logP), run(g.nn().logSoftmax(permuted, 0)), tolerance(dtype));
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT16", "BFLOAT16"})
  void softmaxOfExtremeLogitsInHalfPrecision(DType dtype) {
    double[][] rows = {{-1000, -1004, -1008}, {1000, -1000, 0}}; // exact in both types
    Graph g = new Graph();
    double[][] expected = map(rows, (r, k) -> Math.exp(rows[r][k] - logSumExp(rows[r])));
    assertClose(dtype, expected, run(g.nn().softmax(constant(g, rows, dtype))), 1e-2);
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void crossEntropiesOfExtremeLogitsAndTheirGradients(DType dtype) {
    Graph g = new Graph();
    Tensor x = constant(g, LOGITS, dtype);
    Tensor z = constant(g, LABELS, dtype);
    Tensor classes = g.constant(Nd4j.createFromArray(CLASSES));
    Tensor dense = g.nn().softmaxCrossEntropyWithLogits(x, z);
    Tensor sparse = g.nn().sparseSoftmaxCrossEntropyWithLogits(x, classes);
    // -sum(z * (x - lse)) = lse - sum(z * x) for labels that sum to 1
    double[][] denseLoss = new double[1][LOGITS.length];
    double[][] sparseLoss = new double[1][LOGITS.length];
    for (int r = 0; r < LOGITS.length; r++) {
      double dot = 0;
      for (int k = 0; k < 3; k++) {
        dot += LABELS[r][k] * LOGITS[r][k];
      }
      denseLoss[0][r] = logSumExp(LOGITS[r]) - dot;
      sparseLoss[0][r] = logSumExp(LOGITS[r]) - LOGITS[r][(int) CLASSES[r]];
    }
    assertClose(dtype, denseLoss, run(dense), tolerance(dtype));
    assertClose(dtype, sparseLoss, run(sparse), tolerance(dtype));
    // d/dx sum(loss) = softmax(x) - labels
    double[][] softmax = map(LOGITS, (r, k) -> Math.exp(LOGITS[r][k] - logSumExp(LOGITS[r])));
    assertClose(
        dtype,
        map(LOGITS, (r, k) -> softmax[r][k] - LABELS[r][k]),
        run(g.grad(dense.sum(), x)),
        tolerance(dtype));
    assertClose(
        dtype,
        map(LOGITS, (r, k) -> softmax[r][k] - (k == CLASSES[r] ? 1 : 0)),
        run(g.grad(sparse.sum(), x)),
        tolerance(dtype));
    // d/dz sum(loss) = -logSoftmax(x), finite even where softmax(x) is 0
    assertClose(
        dtype,
        map(LOGITS, (r, k) -> logSumExp(LOGITS[r]) - LOGITS[r][k]),
        run(g.grad(dense.sum(), z)),
        tolerance(dtype));
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void sigmoidAndSigmoidCrossEntropyOfExtremeLogits(DType dtype) {
    double[][] labels = {{1, 0, 0.5}, {0, 1, 0.25}, {1, 0, 0}, {0, 1, 1}, {0.5, 0.5, 0}};
    Graph g = new Graph();
    Tensor x = constant(g, LOGITS, dtype);
    Tensor z = constant(g, labels, dtype);
    Tensor s = g.nn().sigmoid(x);
    assertClose(dtype, map(LOGITS, (r, k) -> sigmoid(LOGITS[r][k])), run(s), tolerance(dtype));
    // d sigmoid / dx = sigmoid(x) sigmoid(-x): 0 (not NaN) at ±1000
    assertClose(
        dtype,
        map(LOGITS, (r, k) -> sigmoid(LOGITS[r][k]) * sigmoid(-LOGITS[r][k])),
        run(g.grad(s.sum(), x)),
        tolerance(dtype));
    Tensor loss = g.nn().sigmoidCrossEntropyWithLogits(x, z);
    // -z log(sigmoid(x)) - (1 - z) log(sigmoid(-x)) = z softplus(-x) + (1 - z) softplus(x)
    assertClose(
        dtype,
        map(
            LOGITS,
            (r, k) ->
                labels[r][k] * softplus(-LOGITS[r][k])
                    + (1 - labels[r][k]) * softplus(LOGITS[r][k])),
        run(loss),
        tolerance(dtype));
    assertClose(
        dtype,
        map(LOGITS, (r, k) -> sigmoid(LOGITS[r][k]) - labels[r][k]),
        run(g.grad(loss.sum(), x)),
        tolerance(dtype));
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void softmaxGradientsAtExtremeLogitsAreFiniteAndMatchTheJacobian(DType dtype) {
    // upstream gradient w: d/dx sum(w * softmax(x)) = s * (w - sum(w * s)), row by row
    double[][] w = {{1, 2, 3}, {-1, 0.5, 2}, {3, -2, 1}, {0.5, 0.25, 1}, {2, 1, -1}};
    Graph g = new Graph();
    Tensor x = constant(g, LOGITS, dtype);
    Tensor weights = constant(g, w, dtype);
    double[][] s = map(LOGITS, (r, k) -> Math.exp(LOGITS[r][k] - logSumExp(LOGITS[r])));
    double[] ws = new double[LOGITS.length];
    for (int r = 0; r < LOGITS.length; r++) {
      for (int k = 0; k < 3; k++) {
        ws[r] += w[r][k] * s[r][k];
      }
    }
    assertClose(
        dtype,
        map(LOGITS, (r, k) -> s[r][k] * (w[r][k] - ws[r])),
        run(g.grad(g.nn().softmax(x).mul(weights).sum(), x)),
        tolerance(dtype));
    // log-softmax: d/dx sum(w * logSoftmax(x)) = w - s * sum(w)
    assertClose(
        dtype,
        map(LOGITS, (r, k) -> w[r][k] - s[r][k] * (w[r][0] + w[r][1] + w[r][2])),
        run(g.grad(g.nn().logSoftmax(x).mul(weights).sum(), x)),
        tolerance(dtype));
  }

  /** Finite differences (float64) agree with the symbolic gradients at ±1000 too. */
  @Test
  void finiteDifferencesAtExtremeLogits() {
    INDArray x = Nd4j.createFromArray(LOGITS);
    INDArray labels = Nd4j.createFromArray(LABELS);
    List<UnaryOperator<Tensor>> unary =
        List.of(
            t -> t.graph().nn().softmax(t),
            t -> t.graph().nn().logSoftmax(t),
            t -> t.graph().nn().softmax(t, 0),
            t -> t.graph().nn().sigmoid(t));
    for (UnaryOperator<Tensor> f : unary) {
      GradCheck.check(x, f);
    }
    List<BinaryOperator<Tensor>> losses =
        List.of(
            (l, z) -> l.graph().nn().softmaxCrossEntropyWithLogits(l, z),
            (l, z) -> l.graph().nn().sigmoidCrossEntropyWithLogits(l, z));
    for (BinaryOperator<Tensor> f : losses) {
      GradCheck.check(List.of(x, labels), xs -> f.apply(xs.get(0), xs.get(1)));
    }
  }
}
