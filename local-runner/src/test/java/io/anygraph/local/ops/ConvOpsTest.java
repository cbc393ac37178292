package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and pooling against plain loops written from TensorFlow's definitions (SAME puts the
 * odd padding pixel at the bottom/right), and their gradients against finite differences.
 */
class ConvOpsTest {
  /** Deterministic values in [-1, 1) of the given shape. */
  static INDArray values(long seed, long... shape) {
    return Nd4j.rand(seed, shape).castTo(DataType.DOUBLE).muli(2).subi(1);
  }

  private static int outSize(int in, int k, int s, int d, boolean same) {
    return same ? (in + s - 1) / s : (in - (k - 1) * d - 1) / s + 1;
  }

  private static int padBefore(int in, int out, int k, int s, int d, boolean same) {
    return same ? Math.max((out - 1) * s + (k - 1) * d + 1 - in, 0) / 2 : 0;
  }

  /** NHWC cross-correlation, HWIO filter: out[b,i,j,o] = sum x[b,i*s+p*d-pad,..,c] f[p,q,c,o]. */
  static double[][][][] conv(double[][][][] x, double[][][][] f, int s, int d, boolean same) {
    int b = x.length, h = x[0].length, w = x[0][0].length, ci = x[0][0][0].length;
    int kh = f.length, kw = f[0].length, co = f[0][0][0].length;
    int oh = outSize(h, kh, s, d, same), ow = outSize(w, kw, s, d, same);
    int pt = padBefore(h, oh, kh, s, d, same), pl = padBefore(w, ow, kw, s, d, same);
    double[][][][] y = new double[b][oh][ow][co];
    for (int n = 0; n < b; n++)
      for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
          for (int o = 0; o < co; o++)
            for (int p = 0; p < kh; p++)
              for (int q = 0; q < kw; q++) {
                int r = i * s + p * d - pt, cc = j * s + q * d - pl;
                if (r >= 0 && r < h && cc >= 0 && cc < w)
                  for (int c = 0; c < ci; c++) y[n][i][j][o] += x[n][r][cc][c] * f[p][q][c][o];
              }
    return y;
  }

  /** NHWC pooling; average counts only cells inside the input (TensorFlow's SAME rule). */
  static double[][][][] pool(double[][][][] x, int k, int s, boolean same, boolean max) {
    int b = x.length, h = x[0].length, w = x[0][0].length, ch = x[0][0][0].length;
    int oh = outSize(h, k, s, 1, same), ow = outSize(w, k, s, 1, same);
    int pt = padBefore(h, oh, k, s, 1, same), pl = padBefore(w, ow, k, s, 1, same);
    double[][][][] y = new double[b][oh][ow][ch];
    for (int n = 0; n < b; n++)
      for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
          for (int c = 0; c < ch; c++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int p = 0; p < k; p++)
              for (int q = 0; q < k; q++) {
                int r = i * s + p - pt, cc = j * s + q - pl;
                if (r >= 0 && r < h && cc >= 0 && cc < w) {
                  acc = max ? Math.max(acc, x[n][r][cc][c]) : acc + x[n][r][cc][c];
                  count++;
                }
              }
            y[n][i][j][c] = max ? acc : acc / count;
          }
    return y;
  }

  static double[][][][] array4(INDArray a) {
    long[] s = a.shape();
    double[][][][] r = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
    for (int i = 0; i < s[0]; i++)
      for (int j = 0; j < s[1]; j++)
        for (int k = 0; k < s[2]; k++)
          for (int l = 0; l < s[3]; l++) r[i][j][k][l] = a.getDouble(i, j, k, l);
    return r;
  }

  static void assertClose(double[][][][] expected, INDArray actual) {
    assertArrayEquals(
        new long[] {
          expected.length, expected[0].length, expected[0][0].length, expected[0][0][0].length
        },
        actual.shape(),
        "shape");
    double[][][][] got = array4(actual);
    for (int i = 0; i < expected.length; i++)
      for (int j = 0; j < expected[0].length; j++)
        for (int k = 0; k < expected[0][0].length; k++)
          for (int l = 0; l < expected[0][0][0].length; l++)
            assertEquals(
                expected[i][j][k][l],
                got[i][j][k][l],
                1e-9,
                "at " + i + "," + j + "," + k + "," + l);
  }

  private static long[] nhwc(int s) {
    return new long[] {1, s, s, 1};
  }

  private static long[] nhwc(int h, int w) {
    return new long[] {1, h, w, 1};
  }

  @Test
  @CoversForward("conv2d")
  void conv2dMatchesTheLoopForPaddingsStridesAndDilations() {
    INDArray x = values(1, 2, 7, 6, 3);
    INDArray f = values(2, 3, 3, 3, 4);
    for (boolean same : new boolean[] {true, false}) {
      for (int[] sd : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
        Graph g = new Graph();
        Tensor y =
            g.nn()
                .conv2d(
                    g.constant(x),
                    g.constant(f),
                    nhwc(sd[0]),
                    same ? "SAME" : "VALID",
                    "NHWC",
                    nhwc(sd[1]));
        assertClose(conv(array4(x), array4(f), sd[0], sd[1], same), run(y));
      }
    }
  }

  @Test
  void conv2dInNchwAgreesWithNhwc() {
    INDArray x = values(3, 2, 6, 5, 2);
    INDArray f = values(4, 3, 2, 2, 3);
    Graph g = new Graph();
    Tensor nchw =
        g.nn()
            .conv2d(
                g.constant(x.permute(0, 3, 1, 2).dup()),
                g.constant(f),
                new long[] {1, 1, 2, 2},
                "SAME",
                "NCHW",
                new long[] {1, 1, 1, 1});
    assertClose(conv(array4(x), array4(f), 2, 1, true), run(nchw).permute(0, 2, 3, 1).dup());
  }

  /**
   * Theano's conv2d from its definition: x (b, c, rows, cols) surrounded by pr, pc zeros, then
   * out[b,o,i,j] = sum x[b,c,i+p,j+q] * w[o,c,kh-1-p,kw-1-q] (the filters flipped).
   */
  static double[][][][] theanoConv(double[][][][] x, double[][][][] w, int pr, int pc) {
    int b = x.length, ci = x[0].length, h = x[0][0].length, wd = x[0][0][0].length;
    int co = w.length, kh = w[0][0].length, kw = w[0][0][0].length;
    int oh = h + 2 * pr - kh + 1, ow = wd + 2 * pc - kw + 1;
    double[][][][] y = new double[b][co][oh][ow];
    for (int n = 0; n < b; n++)
      for (int o = 0; o < co; o++)
        for (int i = 0; i < oh; i++)
          for (int j = 0; j < ow; j++)
            for (int c = 0; c < ci; c++)
              for (int p = 0; p < kh; p++)
                for (int q = 0; q < kw; q++) {
                  int r = i + p - pr, cc = j + q - pc;
                  if (r >= 0 && r < h && cc >= 0 && cc < wd)
                    y[n][o][i][j] += x[n][c][r][cc] * w[o][c][kh - 1 - p][kw - 1 - q];
                }
    return y;
  }

  @Test
  @CoversForward("reverse")
  void theanoConvolutionFlipsTheFiltersInEveryBorderMode() {
    INDArray x = values(5, 2, 2, 6, 5);
    INDArray w = values(6, 3, 2, 3, 2);
    double[][][][] xs = array4(x);
    double[][][][] ws = array4(w);
    Graph g = new Graph();
    Tensor valid = g.nn().conv2dTheano(g.constant(x), g.constant(w), "valid");
    Tensor full = g.nn().conv2dTheano(g.constant(x), g.constant(w), "full");
    Tensor half = g.nn().conv2dTheano(g.constant(x), g.constant(w), "half");
    assertEquals(Shape.of(2, 3, 4, 4), valid.shape());
    assertEquals(Shape.of(2, 3, 8, 6), full.shape());
    assertEquals(Shape.of(2, 3, 6, 6), half.shape());
    assertClose(theanoConv(xs, ws, 0, 0), run(valid));
    assertClose(theanoConv(xs, ws, 2, 1), run(full));
    assertClose(theanoConv(xs, ws, 1, 1), run(half));
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> g.nn().conv2dTheano(g.constant(x), g.constant(w), "same"));
    assertTrue(
        e.getMessage().contains("'same'") && e.getMessage().contains("full"), e.getMessage());
    INDArray reversed =
        run(
            g.ops()
                .reverse(
                    g.constant(Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}})), 1));
    assertEquals(Nd4j.createFromArray(new double[][] {{3, 2, 1}, {6, 5, 4}}), reversed);
  }

  @Test
  void theanoFullConvolutionGradientsAgreeWithFiniteDifferences() {
    GradCheck.check(
        List.of(values(20, 1, 2, 4, 3), values(21, 2, 2, 3, 2)),
        xs -> xs.get(0).graph().nn().conv2dTheano(xs.get(0), xs.get(1), "full"));
  }

  @Test
  @CoversForward({"maxPool", "avgPool"})
  void poolingMatchesTheLoop() {
    INDArray x = values(7, 2, 7, 5, 3);
    for (boolean same : new boolean[] {true, false}) {
      for (int[] ks : new int[][] {{2, 2}, {3, 2}, {3, 1}}) {
        Graph g = new Graph();
        String pad = same ? "SAME" : "VALID";
        assertClose(
            pool(array4(x), ks[0], ks[1], same, true),
            run(g.nn().maxPool(g.constant(x), nhwc(ks[0]), nhwc(ks[1]), pad)));
        assertClose(
            pool(array4(x), ks[0], ks[1], same, false),
            run(g.nn().avgPool(g.constant(x), nhwc(ks[0]), nhwc(ks[1]), pad)));
      }
    }
  }

  @Test
  @CoversGradient("conv2d")
  @CoversForward("conv2dGrad")
  void conv2dGradientsAgreeWithFiniteDifferences() {
    for (String padding : new String[] {"SAME", "VALID"}) {
      GradCheck.check(
          List.of(values(8, 2, 5, 4, 2), values(9, 3, 2, 2, 3)),
          xs -> xs.get(0).graph().nn().conv2d(xs.get(0), xs.get(1), nhwc(2), padding));
    }
    GradCheck.check(
        List.of(values(10, 1, 2, 6, 5), values(11, 2, 2, 2, 2)),
        xs ->
            xs.get(0)
                .graph()
                .nn()
                .conv2d(
                    xs.get(0),
                    xs.get(1),
                    new long[] {1, 1, 1, 1},
                    "SAME",
                    "NCHW",
                    new long[] {1, 1, 2, 2}));
  }

  @Test
  @CoversGradient({"maxPool", "avgPool", "reverse"})
  @CoversForward({"maxPoolGrad", "avgPoolGrad"})
  void poolingGradientsAgreeWithFiniteDifferences() {
    // distinct values, so no max is tied
    INDArray x = Nd4j.linspace(-1, 1, 2 * 5 * 4 * 2, DataType.DOUBLE).reshape(2, 5, 4, 2);
    INDArray shuffled = Nd4j.createFromArray(Nd4j.rand(12, new long[] {80}).data().asDouble());
    INDArray order = Nd4j.sortWithIndices(shuffled, 0, true)[0];
    INDArray xs = Nd4j.pullRows(x.reshape(80, 1), 1, order.toIntVector()).reshape(2, 5, 4, 2);
    for (String padding : new String[] {"SAME", "VALID"}) {
      GradCheck.check(xs, t -> t.graph().nn().maxPool(t, nhwc(2), nhwc(2), padding));
      GradCheck.check(xs, t -> t.graph().nn().avgPool(t, nhwc(3), nhwc(2), padding));
    }
    GradCheck.check(values(13, 2, 3), t -> t.graph().ops().reverse(t, 0, 1).mul(t));
  }

  /** Pooling input with distinct values, so no maximum is tied. */
  private static INDArray untied(long seed, long... shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    INDArray ramp = Nd4j.linspace(-1, 1, n, DataType.DOUBLE);
    INDArray order = Nd4j.sortWithIndices(Nd4j.rand(seed, new long[] {n}), 0, true)[0];
    return Nd4j.pullRows(ramp.reshape(n, 1), 1, order.toIntVector()).reshape(shape);
  }

  /** First derivatives of sum(op(x)^2) / 2, so the upstream gradient dy = op(x) depends on x. */
  private static List<Tensor> firstDerivatives(Tensor y, List<Tensor> xs) {
    return y.graph().grad(y.mul(y).sum().mul(y.graph().constant(0.5, DType.FLOAT64)), xs);
  }

  @Test
  @CoversGradient("conv2dGrad")
  void secondDerivativesThroughConv2dAgreeWithFiniteDifferences() {
    List<INDArray> inputs = List.of(values(30, 2, 4, 5, 2), values(31, 2, 3, 2, 3));
    for (String padding : new String[] {"SAME", "VALID"}) {
      for (int part = 0; part < 2; part++) {
        int which = part;
        GradCheck.check(
            inputs,
            xs ->
                firstDerivatives(
                        xs.get(0).graph().nn().conv2d(xs.get(0), xs.get(1), nhwc(2), padding), xs)
                    .get(which));
      }
    }
    // both parts at once, in NCHW with dilation: upstream reaches both outputs of conv2dGrad
    GradCheck.check(
        List.of(values(32, 1, 2, 6, 5), values(33, 2, 2, 2, 2)),
        xs -> {
          Tensor y =
              xs.get(0)
                  .graph()
                  .nn()
                  .conv2d(
                      xs.get(0),
                      xs.get(1),
                      new long[] {1, 1, 1, 1},
                      "SAME",
                      "NCHW",
                      new long[] {1, 1, 2, 2});
          List<Tensor> d = firstDerivatives(y, xs);
          return d.get(0).sum().mul(d.get(1).sum());
        });
  }

  @Test
  @CoversGradient({"maxPoolGrad", "avgPoolGrad", "maxPoolGradGrad"})
  void secondDerivativesThroughPoolingAgreeWithFiniteDifferences() {
    INDArray x = untied(40, 2, 5, 4, 2);
    for (String padding : new String[] {"SAME", "VALID"}) {
      GradCheck.check(
          x,
          t ->
              firstDerivatives(t.graph().nn().maxPool(t, nhwc(2), nhwc(2), padding), List.of(t))
                  .get(0));
      GradCheck.check(
          x,
          t ->
              firstDerivatives(t.graph().nn().avgPool(t, nhwc(3), nhwc(2), padding), List.of(t))
                  .get(0));
      // third order: the gradient of maxPoolGradGrad is maxPoolGrad again
      GradCheck.check(
          x,
          t -> {
            Tensor gx =
                firstDerivatives(t.graph().nn().maxPool(t, nhwc(2), nhwc(2), padding), List.of(t))
                    .get(0);
            return t.graph().grad(gx.mul(gx).sum(), t);
          });
    }
  }

  @Test
  @CoversForward("maxPoolGradGrad")
  void maxPoolGradGradReadsEachWindowAtItsMaximum() {
    // hand-worked: 1 x 2 x 4 x 1, windows of 2 along the columns with stride 2
    INDArray x = Nd4j.createFromArray(new double[] {1, 5, 7, 2, 9, 3, 0, 4}).reshape(1, 2, 4, 1);
    INDArray gIn =
        Nd4j.createFromArray(new double[] {10, 20, 30, 40, 50, 60, 70, 80}).reshape(1, 2, 4, 1);
    Graph g = new Graph();
    Tensor out =
        g.add(
                "maxPoolGradGrad",
                List.of(g.constant(x), g.constant(gIn)),
                Attrs.of("ksize", nhwc(1, 2), "strides", nhwc(1, 2), "padding", "VALID"),
                null)
            .get(0);
    assertEquals(Nd4j.createFromArray(new double[] {20, 30, 50, 80}).reshape(1, 2, 2, 1), run(out));
    // and it is the adjoint of maxPoolGrad: <maxPoolGrad(x, dy), h> = <dy, maxPoolGradGrad(x, h)>
    INDArray xs = untied(41, 2, 5, 4, 3);
    INDArray h = values(42, 2, 5, 4, 3);
    for (String padding : new String[] {"SAME", "VALID"}) {
      Graph g2 = new Graph();
      Tensor xt = g2.constant(xs);
      Tensor pooled = g2.nn().maxPool(xt, nhwc(3), nhwc(2), padding);
      INDArray dy = values(43, pooled.shape().dims());
      Tensor spread = g2.grad(pooled, List.of(xt), g2.constant(dy)).get(0);
      Tensor read =
          g2.add("maxPoolGradGrad", List.of(xt, g2.constant(h)), pooled.node().attrs(), null)
              .get(0);
      double left = run(spread).mul(h).sumNumber().doubleValue();
      double right = dy.mul(run(read)).sumNumber().doubleValue();
      assertEquals(left, right, 1e-10, padding);
    }
  }

  @Test
  void badShapesFailWhenBuiltNamingTheNode() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 28, 28, 1), "images");
    Tensor f = g.placeholder(DType.FLOAT32, Shape.of(5, 5, 3, 8), "filter");
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> g.nn().conv2d(x, f, nhwc(1), "SAME"));
    assertTrue(
        e.getMessage().contains("conv2d")
            && e.getMessage().contains("images")
            && e.getMessage().contains("1 channels")
            && e.getMessage().contains("expects 3"),
        e.getMessage());
    Tensor ok = g.placeholder(DType.FLOAT32, Shape.of(5, 5, 1, 8), "ok");
    e = assertThrows(AnygraphException.class, () -> g.nn().conv2d(x, ok, nhwc(1), "same"));
    assertTrue(e.getMessage().contains("SAME or VALID"), e.getMessage());
    Tensor tiny = g.placeholder(DType.FLOAT32, Shape.of(1, 3, 3, 1), "tiny");
    e = assertThrows(AnygraphException.class, () -> g.nn().conv2d(tiny, ok, nhwc(1), "VALID"));
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    assertThrows(
        AnygraphException.class,
        () -> g.nn().maxPool(tiny, new long[] {2, 2, 2, 1}, nhwc(1), "SAME"));
    assertThrows(
        AnygraphException.class,
        () -> g.nn().biasAdd(x, g.placeholder(DType.FLOAT32, Shape.of(3), "b")));
  }
}
