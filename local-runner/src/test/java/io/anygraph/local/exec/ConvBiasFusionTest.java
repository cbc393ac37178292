package io.anygraph.local.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.local.kernels.NativeBuild;
import io.anygraph.local.state.RunState;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A bias added to an NHWC convolution runs inside it ({@link ConvBiasFusion}): the output equals
 * the convolution and sum written out here as loops, and the unfused program's bits, with its
 * gradients, in float32 and float64, on oneDNN and on the GEMM convolution; nothing is fused where
 * the convolution's own output is seen or the bias is not one value per channel; a wrong input
 * shape still fails naming the convolution.
 */
class ConvBiasFusionTest {
  private static final long[] ONES = {1, 1, 1, 1};

  /** y = relu(conv2d(x, f) + b), loss = Σ y², in the given dtype; x is [-1, 5, 6, 2]. */
  private static final class Net {
    final Graph g = new Graph();
    final Tensor x;
    final Variable f;
    final Variable b;
    final Tensor conv;
    final Tensor y;
    final List<Tensor> grads;
    final RunState state;

    Net(DType t, String format, long[] biasShape) {
      boolean nchw = format.equals("NCHW");
      x = g.placeholder(t, nchw ? Shape.of(-1, 2, 5, 6) : Shape.of(-1, 5, 6, 2), "x");
      f = g.shared(random(t, 11, 3, 3, 2, 4), "f");
      b = g.shared(random(t, 13, biasShape), "b");
      conv = g.nn().conv2d(x, f, ONES, "SAME", format, ONES);
      Tensor pre = biasShape.length == 1 ? conv.add(b) : b.add(conv); // either operand order
      y = g.nn().relu(pre);
      grads = g.grad(y.square().sum(), List.of(f, b));
      state = new RunState(g);
    }

    List<INDArray> run(boolean fuse, INDArray input, Tensor... fetches) {
      return FusedPrograms.run(fuse, x, input, state, fetches);
    }

    List<String> ops(boolean fuse, Tensor... fetches) {
      return FusedPrograms.ops(fuse, x, fetches);
    }
  }

  private static INDArray random(DType t, long seed, long... shape) {
    Random r = new Random(seed);
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, r.nextGaussian());
    }
    return a.castTo(t.nd4j());
  }

  /** conv2d(x, f) + b with SAME padding and stride 1, NHWC, by the definition, in double. */
  private static double[][][][] expected(INDArray x, INDArray f, INDArray b) {
    int n = (int) x.size(0);
    int h = (int) x.size(1);
    int w = (int) x.size(2);
    int ci = (int) x.size(3);
    int co = (int) f.size(3);
    double[][][][] out = new double[n][h][w][co];
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          for (int o = 0; o < co; o++) {
            double s = 0;
            for (int di = 0; di < 3; di++) {
              for (int dj = 0; dj < 3; dj++) {
                int r = i + di - 1;
                int c = j + dj - 1;
                if (r < 0 || r >= h || c < 0 || c >= w) {
                  continue;
                }
                for (int k = 0; k < ci; k++) {
                  s += x.getDouble(e, r, c, k) * f.getDouble(di, dj, k, o);
                }
              }
            }
            out[e][i][j][o] = s + b.getDouble(o);
          }
        }
      }
    }
    return out;
  }

  @Test
  void theSumIsTheDefinitionAndTheUnfusedBitsWithGradients() {
    for (boolean oneDnn : new boolean[] {true, false}) {
      boolean before = NativeBuild.useOneDnn(oneDnn);
      try {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
          Net net = new Net(t, "NHWC", new long[] {4});
          assertTrue(net.ops(true, net.y).contains("conv2dBias"), t + " " + net.ops(true, net.y));
          assertTrue(!net.ops(true, net.y).contains("conv2d"), "the convolution runs in the add");
          assertTrue(net.ops(false, net.y).contains("conv2d"));
          // in training too, where the add's gradient reads the convolution's shape
          List<String> training = net.ops(true, net.y, net.grads.get(0), net.grads.get(1));
          assertTrue(
              training.contains("conv2dBias") && !training.contains("conv2d"), training.toString());
          INDArray input = random(t, 17, 3, 5, 6, 2);
          List<INDArray> fused = net.run(true, input, net.y, net.grads.get(0), net.grads.get(1));
          List<INDArray> plain = net.run(false, input, net.y, net.grads.get(0), net.grads.get(1));
          for (int i = 0; i < fused.size(); i++) {
            assertEquals(plain.get(i), fused.get(i), t + " oneDNN " + oneDnn + " output " + i);
          }
          double[][][][] want =
              expected(
                  input,
                  net.state.variables().readForRun(net.f.node()),
                  net.state.variables().readForRun(net.b.node()));
          double tol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
          INDArray y = fused.get(0);
          for (int e = 0; e < 3; e++) {
            for (int i = 0; i < 5; i++) {
              for (int j = 0; j < 6; j++) {
                for (int o = 0; o < 4; o++) {
                  double v = Math.max(0, want[e][i][j][o]);
                  assertEquals(v, y.getDouble(e, i, j, o), tol * (1 + Math.abs(v)));
                }
              }
            }
          }
        }
      } finally {
        NativeBuild.useOneDnn(before);
      }
    }
  }

  @Test
  void notFusedWhereTheConvolutionIsSeenOrTheBiasIsNotPerChannel() {
    Net net = new Net(DType.FLOAT32, "NHWC", new long[] {4});
    List<String> fetchingConv = net.ops(true, net.y, net.conv);
    assertTrue(fetchingConv.contains("conv2d") && !fetchingConv.contains("conv2dBias"));
    // the bias as [1, 1, 1, 4] (added the other way round) or one value for all: left alone
    for (long[] shape : new long[][] {{1, 1, 1, 4}, {1}}) {
      Net other = new Net(DType.FLOAT32, "NHWC", shape);
      List<String> ops = other.ops(true, other.y);
      assertTrue(ops.contains("conv2d") && !ops.contains("conv2dBias"), ops.toString());
      INDArray input = random(DType.FLOAT32, 5, 2, 5, 6, 2);
      assertEquals(other.run(false, input, other.y).get(0), other.run(true, input, other.y).get(0));
    }
    Net nchw = new Net(DType.FLOAT32, "NCHW", new long[] {6}); // [6] broadcasts along W there
    List<String> ops = nchw.ops(true, nchw.y);
    assertTrue(ops.contains("conv2d") && !ops.contains("conv2dBias"), ops.toString());
  }

  @Test
  void aWrongInputShapeFailsNamingTheConvolution() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.unknownDims(4), "x");
    Variable f = g.shared(random(DType.FLOAT32, 1, 3, 3, 2, 4), "f");
    Variable b = g.shared(random(DType.FLOAT32, 2, 4), "b");
    Tensor conv = g.nn().conv2d(x, f, ONES, "SAME");
    Tensor y = conv.add(b);
    RunState state = new RunState(g);
    Program p = Compiler.compile(List.of(y), Set.of(x), false, true);
    assertTrue(p.op(p.size() - 1).equals("conv2dBias"));
    INDArray threeChannels = random(DType.FLOAT32, 3, 1, 5, 6, 3);
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> p.run(Map.of(x, threeChannels), state));
    assertTrue(
        e.getMessage().contains(conv.node().name()) && e.getMessage().contains("conv2d"),
        e.getMessage());
    INDArray good = random(DType.FLOAT32, 4, 1, 5, 6, 2);
    assertArrayEquals(new long[] {1, 5, 6, 4}, p.run(Map.of(x, good), state).get(0).shape());
  }
}
