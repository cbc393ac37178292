package io.anygraph.local.ops;

import static io.anygraph.local.ops.ConvOpsTest.array4;
import static io.anygraph.local.ops.ConvOpsTest.assertClose;
import static io.anygraph.local.ops.ConvOpsTest.conv;
import static io.anygraph.local.ops.ConvOpsTest.values;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.local.kernels.NativeBuild;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stride-1 convolutions, which the local runner computes as GEMMs over a row-expanded padded input:
 * forward values against the plain loop of {@link ConvOpsTest} and gradients against finite
 * differences, for narrow (1-3 channels: strided copies) and wide (4 and more: libnd4j's concat and
 * split) inputs, every padding, dilation, filter shape and layout. oneDNN is turned off here, so
 * that float32 runs on these kernels too (with it, only float64 and unread input gradients do;
 * {@link OneDnnKernelsTest} covers oneDNN's).
 */
class ConvGemmTest {
  private static final long[] ONES = {1, 1, 1, 1};
  private static boolean oneDnnBefore;

  @BeforeAll
  static void withoutOneDnn() {
    oneDnnBefore = NativeBuild.useOneDnn(false);
  }

  @AfterAll
  static void restoreOneDnn() {
    NativeBuild.useOneDnn(oneDnnBefore);
  }

  private static long[] dilation(int d) {
    return new long[] {1, d, d, 1};
  }

  @Test
  void forwardMatchesTheLoopForChannelsFiltersPaddingsAndDilations() {
    int[][] filters = {{3, 3}, {2, 3}, {1, 4}, {4, 1}, {1, 1}};
    for (int channels : new int[] {1, 3, 5}) {
      INDArray x = values(50 + channels, 2, 7, 6, channels);
      for (int[] k : filters) {
        INDArray f = values(60 + k[0] * 7 + k[1], k[0], k[1], channels, 3);
        for (boolean same : new boolean[] {true, false}) {
          for (int d : new int[] {1, 2}) {
            if (!same && ((k[0] - 1) * d >= 7 || (k[1] - 1) * d >= 6)) {
              continue; // VALID: the dilated window must fit in the 7 x 6 input
            }
            Graph g = new Graph();
            Tensor y =
                g.nn()
                    .conv2d(
                        g.constant(x),
                        g.constant(f),
                        ONES,
                        same ? "SAME" : "VALID",
                        "NHWC",
                        dilation(d));
            assertClose(conv(array4(x), array4(f), 1, d, same), run(y));
          }
        }
      }
    }
  }

  @Test
  void float32AndNchwAgreeWithTheLoop() {
    INDArray x = values(70, 3, 5, 6, 4);
    INDArray f = values(71, 3, 2, 4, 5);
    double[][][][] expected = conv(array4(x), array4(f), 1, 1, true);
    Graph g = new Graph();
    Tensor nchw =
        g.nn()
            .conv2d(
                g.constant(x.permute(0, 3, 1, 2).dup()), g.constant(f), ONES, "SAME", "NCHW", ONES);
    assertClose(expected, run(nchw).permute(0, 2, 3, 1).dup());
    Tensor single =
        g.nn()
            .conv2d(
                g.constant(x.castTo(DataType.FLOAT)),
                g.constant(f.castTo(DataType.FLOAT)),
                ONES,
                "SAME");
    INDArray got = run(single).castTo(DataType.DOUBLE);
    double[][][][] y = array4(got);
    for (int n = 0; n < y.length; n++)
      for (int i = 0; i < y[0].length; i++)
        for (int j = 0; j < y[0][0].length; j++)
          for (int o = 0; o < y[0][0][0].length; o++)
            assertEquals(expected[n][i][j][o], y[n][i][j][o], 1e-5);
  }

  @Test
  void gradientsAgreeWithFiniteDifferences() {
    for (int channels : new int[] {1, 4}) {
      for (String padding : new String[] {"SAME", "VALID"}) {
        GradCheck.check(
            List.of(values(80 + channels, 2, 5, 4, channels), values(81, 3, 2, channels, 2)),
            xs -> xs.get(0).graph().nn().conv2d(xs.get(0), xs.get(1), ONES, padding));
      }
    }
    GradCheck.check(
        List.of(values(82, 1, 6, 5, 4), values(83, 2, 2, 4, 3)),
        xs ->
            xs.get(0).graph().nn().conv2d(xs.get(0), xs.get(1), ONES, "SAME", "NHWC", dilation(2)));
    GradCheck.check(
        List.of(values(84, 2, 4, 5, 4), values(85, 2, 3, 4, 2)),
        xs ->
            xs.get(0)
                .graph()
                .nn()
                .conv2d(xs.get(0), xs.get(1), ONES, "SAME", "NCHW", new long[] {1, 1, 2, 1}));
  }

  @Test
  void filterGradientAloneIsRightWhenNothingReadsTheInputGradient() {
    // the input is a constant, so conv2dGrad's input gradient has no reader and is skipped
    INDArray x = values(90, 2, 6, 5, 4);
    for (int kw : new int[] {1, 3}) {
      GradCheck.check(
          List.of(values(91, 3, kw, 4, 2)),
          xs ->
              xs.get(0)
                  .graph()
                  .nn()
                  .conv2d(xs.get(0).graph().constant(x), xs.get(0), ONES, "SAME"));
    }
  }

  @Test
  void repeatedRunsWithOtherBatchSizesGiveTheLoopsValues() {
    // buffers are pooled by shape between runs; alternating shapes must not mix them up
    Graph g = new Graph();
    Tensor in = g.placeholder(DType.FLOAT64, Shape.of(-1, 6, 5, 4), "in");
    INDArray f = values(95, 3, 3, 4, 2);
    Tensor y = g.nn().conv2d(in, g.constant(f), ONES, "SAME");
    Tensor grad = g.grad(y.mul(y).sum(), in);
    try (Session s = new Session(g)) {
      for (int round = 0; round < 3; round++) {
        for (int batch : new int[] {3, 1}) {
          INDArray x = values(96 + batch, batch, 6, 5, 4);
          List<INDArray> out = s.run(List.of(y, grad), Map.of(in, x));
          assertClose(conv(array4(x), array4(f), 1, 1, true), out.get(0));
          assertEquals(batch, out.get(1).size(0));
        }
      }
    }
  }
}
