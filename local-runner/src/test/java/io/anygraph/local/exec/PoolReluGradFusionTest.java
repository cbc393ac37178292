package io.anygraph.local.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.local.state.RunState;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * relu's gradient runs inside the max-pooling gradient it reads ({@link PoolReluGradFusion}), and
 * the bias's gradient with them: the training step's gradients are the unfused program's bits in
 * float32 (the Java loop) and float64, for overlapping windows and with a NaN in the input
 * (libnd4j's kernels, one after the other), except the bias's from the Java loop, which is relu's
 * gradient summed in double; where the pooling gradient is fetched, nothing is fused. The gradient
 * of the fused pair against the definition: {@code MaxPoolGradLoopTest}.
 */
class PoolReluGradFusionTest {
  /**
   * loss = Σ maxPool(relu(x · s + b)) · c, x [-1, 7, 6, 3], s and b [3] variables; grads are those
   * of x, s and b.
   */
  private static final class Net {
    final Graph g = new Graph();
    final Tensor x;
    final Variable s;
    final Variable b;
    final Tensor loss;
    final List<Tensor> grads;
    final RunState state;

    Net(DType t, long k, long stride) {
      x = g.placeholder(t, Shape.of(-1, 7, 6, 3), "x");
      s = g.shared(random(t, 2, 3), "s");
      b = g.shared(random(t, 4, 3), "b");
      Tensor a = g.nn().relu(x.mul(s).add(b));
      long[] window = {1, k, k, 1};
      long[] strides = {1, stride, stride, 1};
      Tensor pooled = g.nn().maxPool(a, window, strides, "SAME");
      long[] p = pooled.shape().dims();
      Tensor c = g.constant(random(t, 3, 1, p[1], p[2], 3));
      loss = pooled.mul(c).sum();
      grads = g.grad(loss, List.of(x, s, b));
      state = new RunState(g);
    }

    List<INDArray> run(boolean fuse, INDArray input, Tensor... fetches) {
      return FusedPrograms.run(fuse, x, input, state, fetches);
    }

    List<String> ops(boolean fuse, Tensor... fetches) {
      return FusedPrograms.ops(fuse, x, fetches);
    }

    /** relu's gradient, the tensor whose sum is the bias's gradient. */
    Tensor reluGradient() {
      return output("reluGrad");
    }

    Tensor poolingGradient() {
      return output("maxPoolGrad");
    }

    Tensor output(String op) {
      for (Node n : g.nodes()) {
        if (n.op().equals(op)) {
          return g.output(n, 0);
        }
      }
      throw new AssertionError("no " + op + " in the graph");
    }
  }

  private static INDArray random(DType t, long seed, long... shape) {
    Random r = new Random(seed);
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, r.nextInt(4) == 0 ? r.nextInt(3) - 1 : r.nextGaussian()); // ties and zeros
    }
    return a.castTo(t.nd4j());
  }

  private static void assertSame(List<INDArray> plain, List<INDArray> fused, String what) {
    for (int i = 0; i < plain.size(); i++) {
      assertEquals(plain.get(i), fused.get(i), what + " output " + i);
    }
  }

  private Tensor[] all(Net net) {
    return new Tensor[] {net.loss, net.grads.get(0), net.grads.get(1), net.grads.get(2)};
  }

  @Test
  void theGradientsAreTheUnfusedBitsTheBiasGradientItsDoubleSum() {
    for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (long[] window : new long[][] {{2, 2}, {3, 2}}) { // apart, overlapping
        Net net = new Net(t, window[0], window[1]);
        List<String> ops = net.ops(true, all(net));
        assertTrue(
            ops.contains("maxPoolReluBiasGrad")
                && !ops.contains("maxPoolGrad")
                && !ops.contains("reluGrad")
                && ops.contains("reluMaxPool")
                && !ops.contains("relu")
                && !ops.contains("maxPool"),
            ops.toString());
        // the bias's sum runs in the step; s's (x · s) remains
        List<String> unfused = net.ops(false, all(net));
        assertEquals(
            unfused.stream().filter("reduceSumLike"::equals).count() - 1,
            ops.stream().filter("reduceSumLike"::equals).count(),
            ops.toString());
        assertTrue(unfused.contains("maxPoolGrad"));
        // without the bias's gradient, the pair alone
        List<String> noBias = net.ops(true, net.grads.get(0), net.grads.get(1));
        assertTrue(noBias.contains("maxPoolReluGrad"), noBias.toString());
        INDArray input = random(t, 17, 4, 7, 6, 3);
        List<INDArray> fused = net.run(true, input, all(net));
        List<INDArray> plain = net.run(false, input, all(net));
        String what = t + " window " + window[0] + " stride " + window[1];
        boolean javaLoop = t == DType.FLOAT32 && window[0] == window[1];
        assertSame(plain.subList(0, 3), fused.subList(0, 3), what);
        if (javaLoop) { // summed in double: the float sum's rounding apart
          INDArray dz = net.run(false, input, net.reluGradient()).get(0).castTo(DataType.DOUBLE);
          INDArray want = dz.sum(0, 1, 2);
          for (int ch = 0; ch < 3; ch++) {
            assertEquals(
                (float) want.getDouble(ch), fused.get(3).getFloat(ch), what + " channel " + ch);
            assertEquals(plain.get(3).getDouble(ch), fused.get(3).getDouble(ch), 1e-5);
          }
        } else { // libnd4j's kernels and the same sum
          assertEquals(plain.get(3), fused.get(3), what + " bias gradient");
        }
        // relu zeroed the gradient somewhere and passed it somewhere
        INDArray dx = fused.get(1);
        assertTrue(dx.neq(0).castTo(DataType.INT32).sumNumber().intValue() > 0);
      }
    }
  }

  @Test
  void anEmptyBatchGivesZeroGradients() {
    Net net = new Net(DType.FLOAT32, 2, 2);
    INDArray none = Nd4j.create(DataType.FLOAT, 0, 7, 6, 3);
    List<INDArray> fused = net.run(true, none, all(net));
    assertSame(net.run(false, none, all(net)), fused, "no examples");
    assertEquals(0.0, fused.get(3).amaxNumber().doubleValue(), "the bias's gradient");
  }

  @Test
  void aNaNInTheInputGivesTheUnfusedResult() {
    Net net = new Net(DType.FLOAT32, 2, 2);
    INDArray input = random(DType.FLOAT32, 5, 2, 7, 6, 3);
    input.putScalar(new long[] {1, 3, 2, 1}, Float.NaN);
    List<INDArray> fused = net.run(true, input, all(net));
    List<INDArray> plain = net.run(false, input, all(net));
    for (int k = 0; k < 4; k++) {
      float[] a = plain.get(k).data().asFloat();
      float[] b = fused.get(k).data().asFloat();
      for (int i = 0; i < a.length; i++) {
        assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), k + " @" + i);
      }
    }
  }

  @Test
  void reluRunsAfterThePoolingWhereOnlyThePoolingReadsIt() {
    for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (long[] window : new long[][] {{2, 2}, {3, 2}}) {
        Net net = new Net(t, window[0], window[1]);
        INDArray input = random(t, 23, 3, 7, 6, 3);
        // inference: the forward pair alone
        assertTrue(net.ops(true, net.loss).contains("reluMaxPool"));
        assertFalse(net.ops(false, net.loss).contains("reluMaxPool"));
        assertSame(
            net.run(false, input, net.loss), net.run(true, input, net.loss), t + " inference");
        // relu's output seen: relu and the pooling stay apart, forward and back
        Tensor relu = net.output("relu");
        List<String> ops = net.ops(true, net.grads.get(0), relu);
        assertTrue(ops.contains("relu") && !ops.contains("reluMaxPool"), ops.toString());
        assertSame(
            net.run(false, input, net.loss, net.grads.get(0), relu),
            net.run(true, input, net.loss, net.grads.get(0), relu),
            t + " relu fetched");
      }
    }
  }

  @Test
  void aNaNAnywhereIsPooledAsUnfused() {
    Net net = new Net(DType.FLOAT32, 2, 2);
    Tensor pooled = net.output("maxPool");
    Random r = new Random(41);
    for (int k = 0; k < 24; k++) {
      INDArray input = random(DType.FLOAT32, 100 + k, 2, 7, 6, 3);
      for (int nans = 0; nans <= k % 3; nans++) {
        input.putScalar(r.nextInt((int) input.length()), Float.NaN);
      }
      if (k % 2 == 0) { // a whole window: libnd4j pools it to a finite lowest value
        int row = 2 * r.nextInt(3);
        int col = 2 * r.nextInt(3);
        for (int d = 0; d < 4; d++) {
          input.putScalar(new long[] {k % 2, row + d / 2, col + d % 2, k % 3}, Float.NaN);
        }
      }
      float[] plain = net.run(false, input, pooled, net.grads.get(0)).get(0).data().asFloat();
      float[] fused = net.run(true, input, pooled, net.grads.get(0)).get(0).data().asFloat();
      for (int i = 0; i < plain.length; i++) {
        assertEquals(Float.floatToIntBits(plain[i]), Float.floatToIntBits(fused[i]), k + " @" + i);
      }
    }
  }

  @Test
  void notFusedWhereThePoolingGradientIsSeen() {
    Net net = new Net(DType.FLOAT32, 2, 2);
    Tensor pooling = net.poolingGradient();
    List<String> ops = net.ops(true, net.grads.get(0), pooling);
    assertTrue(ops.contains("maxPoolGrad") && !ops.contains("maxPoolReluGrad"), ops.toString());
    INDArray input = random(DType.FLOAT32, 7, 3, 7, 6, 3);
    assertSame(
        net.run(false, input, net.grads.get(0), pooling),
        net.run(true, input, net.grads.get(0), pooling),
        "fetching the pooling gradient");
  }
}
