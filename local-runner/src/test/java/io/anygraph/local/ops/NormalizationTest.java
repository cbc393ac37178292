package io.anygraph.local.ops;

import static io.anygraph.local.ops.AttentionTest.gradientOf;
import static io.anygraph.local.ops.AttentionTest.random;
import static io.anygraph.local.ops.Eval.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Layer and batch normalization against statistics worked out in plain loops (biased variance, as
 * TensorFlow), their gradients and second derivatives against finite differences, batch
 * normalization's update ops and inference mode, and bad parameters refused naming the tensors.
 */
class NormalizationTest {
  private static final double EPS = 1e-3;

  @Test
  void layerNormNormalizesEachExampleOverItsAxes() {
    Graph g = new Graph();
    INDArray xv = doubles(new long[] {2, 3}, 1, 2, 6, -1, 0, 4);
    Tensor gamma = g.constant(doubles(new long[] {3}, 1, 2, 0.5));
    Tensor beta = g.constant(doubles(new long[] {3}, 0, 1, -1));
    INDArray y = Eval.run(g.nn().layerNorm(g.constant(xv), new int[] {-1}, gamma, beta, EPS));
    double[] gm = {1, 2, 0.5};
    double[] bt = {0, 1, -1};
    for (int r = 0; r < 2; r++) {
      double mean = (xv.getDouble(r, 0) + xv.getDouble(r, 1) + xv.getDouble(r, 2)) / 3;
      double var = 0;
      for (int c = 0; c < 3; c++) {
        var += Math.pow(xv.getDouble(r, c) - mean, 2) / 3;
      }
      for (int c = 0; c < 3; c++) {
        double want = (xv.getDouble(r, c) - mean) / Math.sqrt(var + EPS) * gm[c] + bt[c];
        assertEquals(want, y.getDouble(r, c), 1e-12, "row " + r + " col " + c);
      }
    }
    // over two axes, no gamma or beta: each example has mean 0 and variance var / (var + eps)
    INDArray x3 = random(new Random(1), 2, 2, 3);
    INDArray z = Eval.run(g.nn().layerNorm(g.constant(x3), new int[] {1, 2}, null, null, 0));
    for (int b = 0; b < 2; b++) {
      INDArray ex = z.slice(b);
      assertEquals(0, ex.meanNumber().doubleValue(), 1e-12);
      assertEquals(1, ex.mul(ex).meanNumber().doubleValue(), 1e-12);
    }
  }

  @Test
  void layerNormGradientAndSecondDerivativeMatchFiniteDifferences() {
    Random r = new Random(2);
    GradCheck.check(
        List.of(random(r, 3, 4), random(r, 4), random(r, 4)),
        xs ->
            xs.get(0).graph().nn().layerNorm(xs.get(0), new int[] {1}, xs.get(1), xs.get(2), EPS));
    INDArray gamma = random(r, 4);
    GradCheck.check(
        random(r, 3, 4),
        t ->
            gradientOf(
                x ->
                    x.graph()
                        .nn()
                        .layerNorm(x, new int[] {-1}, x.graph().constant(gamma), null, EPS),
                t));
  }

  @Test
  void batchNormTrainsOnBatchStatisticsAndMovesTheAverages() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "x");
    BatchNorm bn = new BatchNorm(g, "bn", DType.FLOAT64, Shape.of(2), new int[] {0}, 0.9, EPS);
    Tensor train = bn.apply(x, true);
    Tensor infer = bn.apply(x, false);
    assertEquals(2, bn.updateOps().size(), "training mode records two update ops, inference none");
    INDArray xv = doubles(new long[] {4, 2}, 1, 10, 2, 20, 3, 30, 6, 0);
    double[] mean = {3, 15};
    double[] var = {3.5, 125}; // biased: mean of squared deviations
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      INDArray y = s.run(train, Map.of(x, xv));
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 2; c++) {
          double want = (xv.getDouble(r, c) - mean[c]) / Math.sqrt(var[c] + EPS);
          assertEquals(want, y.getDouble(r, c), 1e-12);
        }
      }
      s.run(bn.updateOps(), Map.of(x, xv));
      // moving = moving * 0.9 + batch * 0.1, from mean 0 and variance 1
      INDArray mm = s.run(bn.movingMean());
      INDArray mv = s.run(bn.movingVariance());
      assertEquals(0.3, mm.getDouble(0), 1e-12);
      assertEquals(1.5, mm.getDouble(1), 1e-12);
      assertEquals(0.9 + 0.35, mv.getDouble(0), 1e-12);
      assertEquals(0.9 + 12.5, mv.getDouble(1), 1e-12);
      INDArray z = s.run(infer, Map.of(x, xv));
      assertEquals((1 - 0.3) / Math.sqrt(1.25 + EPS), z.getDouble(0, 0), 1e-12);
      assertEquals((20 - 1.5) / Math.sqrt(13.4 + EPS), z.getDouble(1, 1), 1e-12);
    }
  }

  @Test
  void batchNormOverImageAxesInEitherLayout() {
    INDArray nhwc = random(new Random(3), 2, 2, 2, 3);
    Graph g = new Graph();
    Tensor gamma = g.constant(doubles(new long[] {3}, 1, 2, 3));
    Tensor y =
        g.nn()
            .batchNorm(
                g.constant(nhwc), new int[] {0, 1, 2}, gamma, null, null, null, 0.99, EPS, true)
            .output();
    INDArray nchw = nhwc.permute(0, 3, 1, 2).dup();
    Tensor yc =
        g.nn()
            .batchNorm(
                g.constant(nchw), new int[] {0, 2, 3}, gamma, null, null, null, 0.99, EPS, true)
            .output();
    INDArray a = Eval.run(y);
    INDArray b = Eval.run(yc).permute(0, 2, 3, 1);
    for (int c = 0; c < 3; c++) {
      INDArray channel =
          nhwc.get(
              NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(c));
      double mean = channel.meanNumber().doubleValue();
      double var = channel.sub(mean).mul(channel.sub(mean)).meanNumber().doubleValue();
      double want = (nhwc.getDouble(1, 0, 1, c) - mean) / Math.sqrt(var + EPS) * (c + 1);
      assertEquals(want, a.getDouble(1, 0, 1, c), 1e-12);
      assertEquals(want, b.getDouble(1, 0, 1, c), 1e-12);
    }
  }

  @Test
  void batchNormGradientAndSecondDerivativeMatchFiniteDifferences() {
    Random r = new Random(4);
    GradCheck.check(
        List.of(random(r, 5, 3), random(r, 3), random(r, 3)),
        xs -> {
          Graph g = xs.get(0).graph();
          return g.nn()
              .batchNorm(xs.get(0), new int[] {0}, xs.get(1), xs.get(2), null, null, 0.9, EPS, true)
              .output();
        });
    GradCheck.check(
        random(r, 4, 2),
        t ->
            gradientOf(
                x -> {
                  return x.graph()
                      .nn()
                      .batchNorm(x, new int[] {0}, null, null, null, null, 0.9, EPS, true)
                      .output();
                },
                t));
  }

  @Test
  void badParametersAreRefusedNamingTensorsAndShapes() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "x");
    Tensor three = g.placeholder(DType.FLOAT32, Shape.of(3), "three");
    Tensor four = g.placeholder(DType.FLOAT32, Shape.of(4), "four");
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> g.nn().batchNorm(x, new int[] {0}, three, null, four, four, 0.9, EPS, true));
    assertTrue(
        e.getMessage().contains("three:0") && e.getMessage().contains("4 elements"),
        e.getMessage());
    Tensor open = g.placeholder(DType.FLOAT32, Shape.of(-1, -1), "open");
    e =
        assertThrows(
            AnygraphException.class,
            () -> g.nn().batchNorm(open, new int[] {0}, null, null, four, four, 0.9, EPS, true));
    assertTrue(
        e.getMessage().contains("open:0") && e.getMessage().contains("axis 1"), e.getMessage());
    e =
        assertThrows(
            AnygraphException.class,
            () -> g.nn().batchNorm(x, new int[] {0}, null, null, four, four, 1.5, EPS, true));
    assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    e =
        assertThrows(
            AnygraphException.class, () -> g.nn().layerNorm(x, new int[] {2}, null, null, EPS));
    assertTrue(e.getMessage().contains("x:0") && e.getMessage().contains("axis 2"), e.getMessage());
  }
}
