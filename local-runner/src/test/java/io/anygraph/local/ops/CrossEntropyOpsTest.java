package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Nn;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The softmax cross-entropy op and its gradient op against their definitions evaluated in plain
 * Java (double): float32 and float64, rank 2 and 3, small tensors (Java rows) and large ones
 * (libnd4j), labels that do not sum to 1, logits in the thousands; their own gradients by finite
 * differences; bad shapes and dtypes refused with names.
 */
class CrossEntropyOpsTest {
  /** {@code -Σ l · (x - logSumExp(x))} per row of k. */
  private static double[] loss(double[] x, double[] l, int k) {
    double[] out = new double[x.length / k];
    for (int r = 0; r < out.length; r++) {
      double lse = NnOpsTest.logSumExp(Arrays.copyOfRange(x, r * k, r * k + k));
      for (int j = 0; j < k; j++) {
        out[r] -= l[r * k + j] * (x[r * k + j] - lse);
      }
    }
    return out;
  }

  /** {@code dy · (softmax(x) · Σ l - l)} per row of k. */
  private static double[] grad(double[] x, double[] l, double[] dy, int k) {
    double[] out = new double[x.length];
    for (int r = 0; r < dy.length; r++) {
      double lse = NnOpsTest.logSumExp(Arrays.copyOfRange(x, r * k, r * k + k));
      double total = 0;
      for (int j = 0; j < k; j++) {
        total += l[r * k + j];
      }
      for (int j = 0; j < k; j++) {
        out[r * k + j] = dy[r] * (Math.exp(x[r * k + j] - lse) * total - l[r * k + j]);
      }
    }
    return out;
  }

  private static double[] random(Random r, int n, double scale, boolean positive) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double g = r.nextGaussian() * scale;
      v[i] = positive ? Math.abs(g) : g;
    }
    return v;
  }

  private static void assertClose(double[] want, INDArray got, double tolerance, String what) {
    double[] g = got.castTo(DataType.DOUBLE).data().asDouble();
    assertEquals(want.length, g.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], g[i], tolerance * Math.max(1, Math.abs(want[i])), what + " @" + i);
    }
  }

  @Test
  @CoversForward({"softmaxCrossEntropy", "softmaxCrossEntropyGrad"})
  void lossAndGradientMatchTheDefinitions() {
    Random r = new Random(3);
    long[][] shapes = {{4, 5}, {2, 3, 7}, {300, 100}}; // the last above the Java rows' 16k
    for (long[] shape : shapes) {
      for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
        int k = (int) shape[shape.length - 1];
        int n = (int) Shape.of(shape).size();
        double[] x = random(r, n, 5, false);
        x[0] = 1000; // a logit exp would overflow on
        x[1] = -1000;
        double[] l = random(r, n, 0.5, true); // rows do not sum to 1
        double[] dy = random(r, n / k, 1, false);
        long[] lossShape = Arrays.copyOf(shape, shape.length - 1);
        Graph g = new Graph();
        Nn nn = g.nn();
        Tensor logits = g.constant(doubles(shape, x).castTo(t.nd4j()));
        Tensor labels = g.constant(doubles(shape, l).castTo(t.nd4j()));
        Tensor up = g.constant(doubles(lossShape, dy).castTo(t.nd4j()));
        String at = t + " " + Shape.of(shape);
        double tol = t == DType.FLOAT32 ? 2e-6 : 1e-12;
        INDArray got = run(nn.softmaxCrossEntropyWithLogits(logits, labels));
        assertArrayEquals(lossShape, got.shape(), at);
        assertEquals(t.nd4j(), got.dataType(), at);
        // float32 inputs: the definition on the values as rounded to float
        double[] xr = doubles(shape, x).castTo(t.nd4j()).castTo(DataType.DOUBLE).data().asDouble();
        double[] lr = doubles(shape, l).castTo(t.nd4j()).castTo(DataType.DOUBLE).data().asDouble();
        double[] dr =
            doubles(lossShape, dy).castTo(t.nd4j()).castTo(DataType.DOUBLE).data().asDouble();
        assertClose(loss(xr, lr, k), got, tol * k, "loss " + at);
        INDArray back = run(nn.softmaxCrossEntropyGrad(logits, labels, up));
        assertArrayEquals(shape, back.shape(), at);
        assertClose(grad(xr, lr, dr, k), back, tol * k, "gradient " + at);
      }
    }
  }

  @Test
  void badShapesAndDtypesAreClearErrors() {
    Graph g = new Graph();
    Nn nn = g.nn();
    Tensor logits = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "logits");
    Tensor wide = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "wideLabels");
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> nn.softmaxCrossEntropyWithLogits(logits, wide));
    assertTrue(e.getMessage().contains("wideLabels"), e.getMessage());
    Tensor doubles = g.placeholder(DType.FLOAT64, Shape.of(-1, 3), "doubleLabels");
    e =
        assertThrows(
            AnygraphException.class, () -> nn.softmaxCrossEntropyWithLogits(logits, doubles));
    assertTrue(e.getMessage().contains("softmaxCrossEntropy"), e.getMessage());
    Tensor dy = g.placeholder(DType.FLOAT32, Shape.of(5, 2), "dy");
    e = assertThrows(AnygraphException.class, () -> nn.softmaxCrossEntropyGrad(logits, logits, dy));
    assertTrue(
        e.getMessage().contains("softmaxCrossEntropyGrad")
            && e.getMessage().contains("[5, 2]")
            && e.getMessage().contains("[?]"),
        e.getMessage());
    Tensor scalar = g.placeholder(DType.FLOAT32, Shape.scalar(), "scalar");
    e =
        assertThrows(
            AnygraphException.class, () -> nn.softmaxCrossEntropyWithLogits(scalar, scalar));
    assertTrue(e.getMessage().contains("class axis"), e.getMessage());
    Tensor ints = g.placeholder(DType.INT32, Shape.of(2, 3), "ints");
    assertThrows(AnygraphException.class, () -> nn.softmaxCrossEntropyWithLogits(ints, ints));
  }

  @Test
  @CoversGradient("softmaxCrossEntropy")
  void gradientsFlowToLogitsAndLabels() {
    INDArray logits = doubles(new long[] {2, 3}, 1, -2, 0.5, 3, 0, 1);
    INDArray labels = doubles(new long[] {2, 3}, 0.2, 0.3, 0.9, 1, 0, 0);
    GradCheck.check(
        List.of(logits, labels),
        xs -> xs.get(0).graph().nn().softmaxCrossEntropyWithLogits(xs.get(0), xs.get(1)));
    INDArray deep = doubles(new long[] {2, 2, 2}, 0.3, -1, 2, 0.5, -0.2, 0.1, 1.5, -2);
    INDArray deepLabels = doubles(new long[] {2, 2, 2}, 0.5, 0.5, 1, 0, 0.25, 1, 0, 0.1);
    GradCheck.check(
        List.of(deep, deepLabels),
        xs -> xs.get(0).graph().nn().softmaxCrossEntropyWithLogits(xs.get(0), xs.get(1)));
  }

  @Test
  @CoversGradient("softmaxCrossEntropyGrad")
  void secondDerivatives() {
    INDArray logits = doubles(new long[] {2, 3}, 1, -2, 0.5, 3, 0, 1);
    INDArray labels = doubles(new long[] {2, 3}, 0.2, 0.3, 0.9, 1, 0, 0);
    INDArray dy = doubles(new long[] {2}, 0.7, -1.3);
    GradCheck.check(
        List.of(logits, labels, dy),
        xs -> xs.get(0).graph().nn().softmaxCrossEntropyGrad(xs.get(0), xs.get(1), xs.get(2)));
    // the Hessian of the mean loss times a vector, through the gradient op's own gradient
    GradCheck.check(
        logits,
        t -> {
          Graph g = t.graph();
          Tensor l = g.constant(labels);
          Tensor loss = g.nn().softmaxCrossEntropyWithLogits(t, l).mean();
          Tensor v = g.constant(doubles(new long[] {2, 3}, 0.5, -1, 2, 1, 0.25, -0.5));
          return g.grad(loss, List.of(t)).get(0).mul(v).sum();
        });
  }
}
