package io.anygraph.local.ops;

import static io.anygraph.local.ops.ConvOpsTest.array4;
import static io.anygraph.local.ops.ConvOpsTest.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The float32 filter gradient of a convolution whose input gradient nobody reads (a network's first
 * layer), which the local runner computes as im2col + GEMM: against a float64 loop written from the
 * definition dF[p, q, c, o] = Σ x[n, i·s + p·d - top, j·s + q·d - left, c] · dY[n, i, j, o], for
 * strides, dilations, paddings, filter shapes, channels, both layouts, inputs that are views, and a
 * batch large enough to be taken in several chunks and lanes.
 */
class ConvFilterGradientTest {
  private static final double TOLERANCE = 1e-4;

  @Test
  void matchesTheLoopForStridesDilationsPaddingsAndLayouts() {
    int[][] filters = {{3, 3}, {2, 3}, {1, 1}};
    for (int channels : new int[] {1, 3}) {
      INDArray x = values(10 + channels, 2, 9, 8, channels);
      for (int[] k : filters) {
        INDArray f = values(20 + k[0] * 5 + k[1], k[0], k[1], channels, 4);
        for (int s : new int[] {1, 2}) {
          for (int d : new int[] {1, 2}) {
            if (s > 1 && d > 1) {
              continue; // conv2d takes one or the other
            }
            for (boolean same : new boolean[] {true, false}) {
              for (boolean nchw : new boolean[] {false, true}) {
                String where =
                    "channels " + channels + ", filter " + k[0] + "x" + k[1] + ", stride " + s;
                where += ", dilation " + d + (same ? ", SAME" : ", VALID") + (nchw ? ", NCHW" : "");
                check(x, f, s, d, same, nchw, where);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aBatchOfSeveralChunksAndLanesMatchesTheLoop() {
    // MNIST's first layer: Col holds 25 x 784 values per image, so 1024 images are four lanes of
    // 256 images, each in chunks of at most 214 (4M values): the lanes' sums and a lane's two GEMMs
    check(values(31, 1024, 28, 28, 1), values(32, 5, 5, 1, 8), 1, 1, true, false, "MNIST layer 1");
  }

  @Test
  void inputsThatAreViewsGiveTheSameValues() {
    // the interior of a larger array (an offset and gaps between rows), and a permuted array
    INDArray big = values(41, 3, 11, 10, 2);
    INDArray interior =
        big.get(
            NDArrayIndex.interval(1, 3),
            NDArrayIndex.interval(1, 10),
            NDArrayIndex.interval(1, 9),
            NDArrayIndex.all());
    check(interior, values(42, 3, 3, 2, 3), 1, 1, true, false, "interior view");
    INDArray permuted = values(43, 2, 8, 2, 9).permute(0, 1, 3, 2);
    check(permuted, values(44, 3, 2, 2, 3), 2, 1, true, false, "permuted view");
  }

  /** The float32 gradient in f alone of sum(conv2d(x, f) · weights) against the float64 loop. */
  private static void check(
      INDArray xNhwc, INDArray f, int s, int d, boolean same, boolean nchw, String where) {
    Graph g = new Graph();
    INDArray x = nchw ? xNhwc.permute(0, 3, 1, 2) : xNhwc;
    Tensor xv = g.placeholder(DType.FLOAT32, Shape.of(x.shape()), "x");
    Tensor fv = g.placeholder(DType.FLOAT32, Shape.of(f.shape()), "f");
    long[] strides = nchw ? new long[] {1, 1, s, s} : new long[] {1, s, s, 1};
    long[] dilations = nchw ? new long[] {1, 1, d, d} : new long[] {1, d, d, 1};
    Tensor y =
        g.nn().conv2d(xv, fv, strides, same ? "SAME" : "VALID", nchw ? "NCHW" : "NHWC", dilations);
    INDArray weights = values(99, y.shape().dims());
    Tensor loss = y.mul(g.constant(weights.castTo(DataType.FLOAT))).sum();
    INDArray got;
    try (Session session = new Session(g)) {
      // only the filter's gradient: the input's is computed by nobody
      got =
          session
              .run(
                  g.grad(loss, List.of(fv)),
                  Map.of(xv, x.castTo(DataType.FLOAT), fv, f.castTo(DataType.FLOAT)))
              .get(0);
    }
    INDArray dyNhwc = nchw ? weights.permute(0, 2, 3, 1) : weights;
    double[][][][] expected =
        filterGradient(array4(xNhwc), array4(dyNhwc), (int) f.size(0), (int) f.size(1), s, d, same);
    assertArrayEquals(f.shape(), got.shape(), where);
    double[][][][] actual = array4(got.castTo(DataType.DOUBLE));
    for (int p = 0; p < expected.length; p++)
      for (int q = 0; q < expected[0].length; q++)
        for (int c = 0; c < expected[0][0].length; c++)
          for (int o = 0; o < expected[0][0][0].length; o++)
            assertEquals(
                expected[p][q][c][o],
                actual[p][q][c][o],
                TOLERANCE * Math.max(1, Math.abs(expected[p][q][c][o])),
                where + " at " + p + "," + q + "," + c + "," + o);
  }

  /** NHWC x, NHWC dy, HWIO result; SAME pads as TensorFlow (the odd pixel after). */
  private static double[][][][] filterGradient(
      double[][][][] x, double[][][][] dy, int kh, int kw, int s, int d, boolean same) {
    int b = x.length, h = x[0].length, w = x[0][0].length, ci = x[0][0][0].length;
    int oh = dy[0].length, ow = dy[0][0].length, co = dy[0][0][0].length;
    int top = same ? Math.max((oh - 1) * s + (kh - 1) * d + 1 - h, 0) / 2 : 0;
    int left = same ? Math.max((ow - 1) * s + (kw - 1) * d + 1 - w, 0) / 2 : 0;
    double[][][][] df = new double[kh][kw][ci][co];
    for (int n = 0; n < b; n++)
      for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
          for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++) {
              int r = i * s + p * d - top, col = j * s + q * d - left;
              if (r >= 0 && r < h && col >= 0 && col < w)
                for (int c = 0; c < ci; c++)
                  for (int o = 0; o < co; o++) df[p][q][c][o] += x[n][r][col][c] * dy[n][i][j][o];
            }
    return df;
  }
}
