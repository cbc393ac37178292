package io.anygraph.local.ops;

import static io.anygraph.local.ops.ConvOpsTest.array4;
import static io.anygraph.local.ops.ConvOpsTest.conv;
import static io.anygraph.local.ops.ConvOpsTest.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.local.kernels.NativeBuild;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float32 convolutions and pooling that run on oneDNN (the build Anygraph ships): forward
 * values against the plain loop of {@link ConvOpsTest}, and gradients against the float64 ones,
 * which run on other kernels ({@code ConvGemm}, libnd4j's loops) and are themselves checked against
 * finite differences in {@link ConvGemmTest} and {@link ConvOpsTest}.
 */
class OneDnnKernelsTest {
  private static final long[] ONES = {1, 1, 1, 1};
  private static final double TOLERANCE = 2e-5;

  @Test
  void theShippedBuildHasOneDnn() {
    // the pom's nd4j.classifier; another classifier would silently lose these kernels
    assertTrue(
        NativeBuild.describe().startsWith("kernels: libnd4j with oneDNN ("),
        NativeBuild.describe());
  }

  @Test
  void convolutionMatchesTheLoopForStridesPaddingsAndLayouts() {
    for (int channels : new int[] {1, 3, 8}) {
      INDArray x = values(30 + channels, 2, 9, 8, channels);
      INDArray f = values(40 + channels, 3, 2, channels, 4);
      for (int s : new int[] {1, 2}) {
        for (boolean same : new boolean[] {true, false}) {
          double[][][][] expected = conv(array4(x), array4(f), s, 1, same);
          String padding = same ? "SAME" : "VALID";
          long[] strides = {1, s, s, 1};
          Graph g = new Graph();
          Tensor nhwc =
              g.nn()
                  .conv2d(
                      g.constant(x.castTo(DataType.FLOAT)),
                      g.constant(f.castTo(DataType.FLOAT)),
                      strides,
                      padding,
                      "NHWC",
                      ONES);
          Tensor nchw =
              g.nn()
                  .conv2d(
                      g.constant(x.permute(0, 3, 1, 2).castTo(DataType.FLOAT)),
                      g.constant(f.castTo(DataType.FLOAT)),
                      new long[] {1, 1, s, s},
                      padding,
                      "NCHW",
                      ONES);
          assertNear(expected, Eval.run(nhwc));
          assertNear(expected, Eval.run(nchw).permute(0, 2, 3, 1));
        }
      }
    }
  }

  @Test
  void convolutionGradientsMatchFloat64() {
    for (int channels : new int[] {1, 4}) {
      for (String format : new String[] {"NHWC", "NCHW"}) {
        for (int s : new int[] {1, 2}) {
          long[] strides =
              format.equals("NHWC") ? new long[] {1, s, s, 1} : new long[] {1, 1, s, s};
          INDArray x = values(50 + channels, 2, 7, 6, channels);
          INDArray input = format.equals("NHWC") ? x : x.permute(0, 3, 1, 2).dup();
          INDArray f = values(60 + channels, 3, 3, channels, 5);
          compareGradients(
              input, f, (a, b) -> a.graph().nn().conv2d(a, b, strides, "SAME", format, ONES));
        }
      }
    }
  }

  @Test
  void poolingAndItsGradientsMatchFloat64() {
    INDArray x = values(70, 2, 8, 6, 3);
    for (String format : new String[] {"NHWC", "NCHW"}) {
      INDArray input = format.equals("NHWC") ? x : x.permute(0, 3, 1, 2).dup();
      long[] window = format.equals("NHWC") ? new long[] {1, 2, 2, 1} : new long[] {1, 1, 2, 2};
      for (String padding : new String[] {"SAME", "VALID"}) {
        compareGradients(
            input, null, (a, b) -> a.graph().nn().maxPool(a, window, window, padding, format));
        compareGradients(
            input, null, (a, b) -> a.graph().nn().avgPool(a, window, window, padding, format));
      }
    }
  }

  /** Values and gradients of sum(op(x, f) * weights) in float32 against float64. */
  private static void compareGradients(
      INDArray x, INDArray f, BiFunction<Tensor, Tensor, Tensor> op) {
    List<INDArray> wide = valueAndGradients(x, f, op, DataType.DOUBLE);
    List<INDArray> narrow = valueAndGradients(x, f, op, DataType.FLOAT);
    for (int i = 0; i < wide.size(); i++) {
      assertEquals(DataType.FLOAT, narrow.get(i).dataType());
      assertArrayEquals(wide.get(i).shape(), narrow.get(i).shape());
      double[] expected = wide.get(i).data().asDouble();
      double[] got = narrow.get(i).castTo(DataType.DOUBLE).data().asDouble();
      for (int k = 0; k < expected.length; k++) {
        assertEquals(
            expected[k],
            got[k],
            TOLERANCE * Math.max(1, Math.abs(expected[k])),
            "result " + i + ", element " + k);
      }
    }
  }

  private static List<INDArray> valueAndGradients(
      INDArray x, INDArray f, BiFunction<Tensor, Tensor, Tensor> op, DataType type) {
    Graph g = new Graph();
    DType dtype = DType.fromNd4j(type);
    Tensor xv = g.placeholder(dtype, Shape.of(x.shape()), "x");
    Tensor fv = f == null ? null : g.placeholder(dtype, Shape.of(f.shape()), "f");
    Map<Tensor, INDArray> feeds = new HashMap<>();
    feeds.put(xv, x.castTo(type));
    if (f != null) {
      feeds.put(fv, f.castTo(type));
    }
    Tensor y = op.apply(xv, fv);
    Tensor weights = g.constant(values(99, y.shape().dims()).castTo(type));
    Tensor loss = y.mul(weights).sum();
    List<Tensor> fetches = new ArrayList<>(List.of(y));
    fetches.addAll(g.grad(loss, fv == null ? List.of(xv) : List.of(xv, fv)));
    try (Session s = new Session(g)) {
      return s.run(fetches, feeds);
    }
  }

  private static void assertNear(double[][][][] expected, INDArray actual) {
    double[][][][] got = array4(actual.castTo(DataType.DOUBLE));
    assertEquals(expected.length, got.length);
    for (int n = 0; n < expected.length; n++)
      for (int i = 0; i < expected[0].length; i++)
        for (int j = 0; j < expected[0][0].length; j++)
          for (int o = 0; o < expected[0][0][0].length; o++)
            assertEquals(
                expected[n][i][j][o],
                got[n][i][j][o],
                TOLERANCE,
                "at " + n + "," + i + "," + j + "," + o);
  }
}
