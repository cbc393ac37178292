package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.ShapeException;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dilated convolutions in float32 (the build's oneDNN primitive refuses them, so they must take
 * another path) against a convolution written out as loops, and their gradients against float64.
 */
class DilatedConvTest {
  /** VALID NHWC conv2d with dilation d, stride 1, as plain loops in double. */
  private static double[] reference(INDArray x, INDArray f, int d) {
    long n = x.size(0);
    long h = x.size(1);
    long w = x.size(2);
    long c = x.size(3);
    long kh = f.size(0);
    long kw = f.size(1);
    long o = f.size(3);
    long oh = h - (kh - 1) * d;
    long ow = w - (kw - 1) * d;
    double[] y = new double[(int) (n * oh * ow * o)];
    int at = 0;
    for (long b = 0; b < n; b++) {
      for (long i = 0; i < oh; i++) {
        for (long j = 0; j < ow; j++) {
          for (long k = 0; k < o; k++) {
            double s = 0;
            for (long p = 0; p < kh; p++) {
              for (long q = 0; q < kw; q++) {
                for (long ch = 0; ch < c; ch++) {
                  s += x.getDouble(b, i + p * d, j + q * d, ch) * f.getDouble(p, q, ch, k);
                }
              }
            }
            y[at++] = s;
          }
        }
      }
    }
    return y;
  }

  private static INDArray conv(INDArray x, INDArray f, int d, String padding) {
    Graph g = new Graph();
    Tensor y =
        g.nn()
            .conv2d(
                g.constant(x),
                g.constant(f),
                new long[] {1, 1, 1, 1},
                padding,
                "NHWC",
                new long[] {1, d, d, 1});
    try (Session s = new Session(g)) {
      return s.run(y, Map.of());
    }
  }

  @Test
  void float32DilatedConvolutionsEqualTheLoops() {
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 9, 8, 3).subi(0.5);
    INDArray f = Nd4j.rand(DataType.FLOAT, 3, 2, 3, 4).subi(0.5);
    for (int d : new int[] {2, 3}) {
      double[] want = reference(x, f, d);
      double[] got = conv(x, f, d, "VALID").castTo(DataType.DOUBLE).data().asDouble();
      assertArrayEquals(want, got, 1e-5, "dilation " + d);
    }
    // SAME keeps the size: [2, 9, 8, 4]
    assertArrayEquals(new long[] {2, 9, 8, 4}, conv(x, f, 2, "SAME").shape());
  }

  @Test
  void float32GradientsEqualFloat64Ones() {
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 7, 6, 2).subi(0.5);
    INDArray f = Nd4j.rand(DataType.DOUBLE, 2, 3, 2, 3).subi(0.5);
    List<INDArray> exact = gradients(x, f);
    List<INDArray> single = gradients(x.castTo(DataType.FLOAT), f.castTo(DataType.FLOAT));
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(
          exact.get(i).data().asDouble(),
          single.get(i).castTo(DataType.DOUBLE).data().asDouble(),
          1e-4,
          i == 0 ? "d input" : "d filter");
    }
  }

  /** Gradients of sum(conv(x, f)^2 / 2) with dilation 2, SAME, on the graph's own kernels. */
  private static List<INDArray> gradients(INDArray x, INDArray f) {
    Graph g = new Graph();
    Tensor xt = g.constant(x);
    Tensor ft = g.constant(f);
    Tensor y =
        g.nn().conv2d(xt, ft, new long[] {1, 1, 1, 1}, "SAME", "NHWC", new long[] {1, 2, 2, 1});
    Tensor loss = y.square().sum();
    try (Session s = new Session(g)) {
      return s.run(g.grad(loss, List.of(xt, ft)), Map.of());
    }
  }

  @Test
  void stridesWithDilationsAreRefusedWhenTheGraphIsBuilt() {
    Graph g = new Graph();
    Tensor x = g.constant(Nd4j.zeros(DataType.FLOAT, 1, 9, 9, 1));
    Tensor f = g.constant(Nd4j.zeros(DataType.FLOAT, 3, 3, 1, 1));
    ShapeException e =
        assertThrows(
            ShapeException.class,
            () ->
                g.nn()
                    .conv2d(
                        x, f, new long[] {1, 2, 2, 1}, "VALID", "NHWC", new long[] {1, 2, 2, 1}));
    assertTrue(e.getMessage().contains("(op conv2d)"), e.getMessage());
    assertTrue(e.getMessage().contains("strides [1, 2, 2, 1]"), e.getMessage());
    assertTrue(e.getMessage().contains("dilations [1, 2, 2, 1]"), e.getMessage());
  }
}
