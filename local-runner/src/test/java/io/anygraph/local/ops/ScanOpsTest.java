package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Theano-style scan on whileLoop: a running sum and a small RNN, forward and gradients. */
class ScanOpsTest {
  private static final int T = 4;
  private static final int B = 2;
  private static final int D = 3;
  private static final int H = 2;

  /** hs[t] = tanh(x_t W + h_{t-1} U), stacked over t. */
  static Tensor rnn(Tensor xs, Tensor h0, Tensor w, Tensor u) {
    Graph g = xs.graph();
    return g.control()
        .scan(
            (x, h, params) ->
                List.of(
                    g.nn()
                        .tanh(x.get(0).matmul(params.get(0)).add(h.get(0).matmul(params.get(1))))),
            List.of(xs),
            List.of(h0),
            List.of(w, u))
        .get(0);
  }

  private static INDArray values(long[] shape, double start, double step) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.sin(start + step * i);
    }
    return Nd4j.createFromArray(v).reshape(shape);
  }

  @Test
  void scanOverAVectorKeepsARunningSum() {
    Graph g = new Graph();
    Tensor xs = g.constant(Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0));
    Tensor sums =
        g.control()
            .scan(
                (x, prev, none) -> List.of(prev.get(0).add(x.get(0))),
                List.of(xs),
                List.of(g.constant(0.0, DType.FLOAT64)),
                List.of())
            .get(0);
    assertEquals(Shape.of(4), sums.shape());
    Eval.assertValues(DType.FLOAT64, new long[] {4}, new double[] {1, 3, 6, 10}, Eval.run(sums));
  }

  @Test
  void rnnForwardMatchesALoopInJava() {
    INDArray xv = values(new long[] {T, B, D}, 0.1, 0.37);
    INDArray h0v = values(new long[] {B, H}, 0.5, 0.9);
    INDArray wv = values(new long[] {D, H}, 1.0, 0.71);
    INDArray uv = values(new long[] {H, H}, 2.0, 1.3);
    Graph g = new Graph();
    Tensor xs = g.placeholder(DType.FLOAT64, Shape.of(-1, B, D), "xs");
    Tensor h0 = g.constant(h0v);
    Tensor hs = rnn(xs, h0, g.constant(wv), g.constant(uv));
    assertEquals(Shape.of(-1, B, H), hs.shape());
    double[] expected = new double[T * B * H];
    double[][] h = new double[B][H];
    for (int b = 0; b < B; b++) {
      for (int j = 0; j < H; j++) {
        h[b][j] = h0v.getDouble(b, j);
      }
    }
    for (int t = 0; t < T; t++) {
      double[][] next = new double[B][H];
      for (int b = 0; b < B; b++) {
        for (int j = 0; j < H; j++) {
          double z = 0;
          for (int d = 0; d < D; d++) {
            z += xv.getDouble(t, b, d) * wv.getDouble(d, j);
          }
          for (int k = 0; k < H; k++) {
            z += h[b][k] * uv.getDouble(k, j);
          }
          next[b][j] = Math.tanh(z);
          expected[(t * B + b) * H + j] = next[b][j];
        }
      }
      h = next;
    }
    Eval.assertValues(DType.FLOAT64, new long[] {T, B, H}, expected, Eval.run(hs, Map.of(xs, xv)));
  }

  @Test
  void rnnGradientsMatchFiniteDifferences() {
    GradCheck.check(
        List.of(
            values(new long[] {T, B, D}, 0.1, 0.37),
            values(new long[] {B, H}, 0.5, 0.9),
            values(new long[] {D, H}, 1.0, 0.71),
            values(new long[] {H, H}, 2.0, 1.3)),
        xs -> rnn(xs.get(0), xs.get(1), xs.get(2), xs.get(3)));
  }

  @Test
  void secondDerivativeThroughScan() {
    // d/dx of the gradient of sum(hs) with respect to x, against finite differences
    GradCheck.check(
        List.of(values(new long[] {T, B, D}, 0.3, 0.21), values(new long[] {D, H}, 1.0, 0.71)),
        xs -> {
          Graph g = xs.get(0).graph();
          Tensor h0 = g.constant(values(new long[] {B, H}, 0.5, 0.9));
          Tensor u = g.constant(values(new long[] {H, H}, 2.0, 1.3));
          return g.grad(rnn(xs.get(0), h0, xs.get(1), u).sum(), xs.get(1));
        });
  }

  @Test
  void sequencesOfDifferentLengthsFail() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, Shape.of(3, 2), "a");
    Tensor b = g.placeholder(DType.FLOAT64, Shape.of(4, 2), "b");
    Tensor h0 = g.constant(0.0, DType.FLOAT64, 2);
    String built =
        assertThrows(
                AnygraphException.class,
                () ->
                    g.control()
                        .scan(
                            (x, h, n) -> List.of(h.get(0).add(x.get(0)).add(x.get(1))),
                            List.of(a, b),
                            List.of(h0),
                            List.of()))
            .getMessage();
    assertTrue(built.contains("different lengths") && built.contains("[4, 2]"), built);

    Tensor c = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "c");
    Tensor d = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "d");
    Tensor out =
        g.control()
            .scan(
                (x, h, n) -> List.of(h.get(0).add(x.get(0)).add(x.get(1))),
                List.of(c, d),
                List.of(h0),
                List.of())
            .get(0);
    String run =
        assertThrows(
                AnygraphException.class,
                () ->
                    Eval.run(
                        out,
                        Map.of(
                            c,
                            Nd4j.zeros(DataType.DOUBLE, 3, 2),
                            d,
                            Nd4j.zeros(DataType.DOUBLE, 5, 2))))
            .getMessage();
    assertTrue(run.contains("scan") && run.contains("different lengths"), run);
  }
}
