package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masked softmax and scaled dot-product attention against values written out by hand and a plain
 * loop reference (NumPy's formula), their gradients and second derivatives against finite
 * differences, and bad masks refused naming the tensors and shapes.
 */
class AttentionTest {
  private static final boolean T = true;
  private static final boolean F = false;

  @Test
  void maskedPositionsGetZeroAndAFullyMaskedLineGivesZeros() {
    Graph g = new Graph();
    Tensor logits = g.constant(doubles(new long[] {3, 3}, 1, 2, 3, 1, 2, 3, 1000, -1000, 7));
    Tensor mask =
        g.constant(Nd4j.createFromArray(new boolean[][] {{T, F, T}, {F, F, F}, {T, T, F}}));
    INDArray y = Eval.run(g.nn().softmax(logits, mask));
    double e1 = Math.exp(1);
    double e3 = Math.exp(3);
    double[] want = {e1 / (e1 + e3), 0, e3 / (e1 + e3), 0, 0, 0, 1, 0, 0};
    Eval.assertValues(DType.FLOAT64, new long[] {3, 3}, want, y);
    // float32, a mask of rank 1 broadcast to every line, and logits near the largest float
    Tensor big = g.constant(Nd4j.createFromArray(new float[][] {{3e38f, -3e38f, 1}, {0, 0, 0}}));
    Tensor keepLast = g.constant(Nd4j.createFromArray(new boolean[] {F, T, T}));
    INDArray f = Eval.run(g.nn().softmax(big, keepLast));
    assertArrayEquals(new float[] {0, 0, 1, 0, 0.5f, 0.5f}, f.data().asFloat(), 1e-7f);
  }

  @Test
  void maskedSoftmaxGradientAndSecondDerivativeMatchFiniteDifferences() {
    INDArray x = doubles(new long[] {3, 4}, 0.5, -1, 2, 0.25, 3, -2, 1, 1.5, -0.5, 2, 4, -3);
    INDArray m = Nd4j.createFromArray(new boolean[][] {{T, F, T, T}, {F, F, F, F}, {T, T, F, T}});
    UnaryOperator<Tensor> masked = t -> t.graph().nn().softmax(t, t.graph().constant(m));
    GradCheck.check(x, masked);
    GradCheck.check(x, t -> gradientOf(masked, t));
    // along axis 0, with a mask [3, 1] broadcast along the rows' positions
    INDArray column = Nd4j.createFromArray(new boolean[][] {{T}, {F}, {T}});
    GradCheck.check(x, t -> t.graph().nn().softmax(t, t.graph().constant(column), 0));
  }

  /** d/dt sum(f(t) * w) for fixed weights w: its own gradient is f's second derivative. */
  static Tensor gradientOf(UnaryOperator<Tensor> f, Tensor t) {
    Tensor y = f.apply(t);
    long n = 1;
    for (long d : y.shape().dims()) {
      n *= d;
    }
    double[] w = new double[(int) n];
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.3 + 0.1 * ((i * 7) % 11);
    }
    Tensor weights = t.graph().constant(doubles(y.shape().dims(), w));
    return t.graph().grad(y.mul(weights).sum(), t);
  }

  @Test
  void attentionEqualsALoopReferenceWithHeadsBroadcastMaskAndCausality() {
    Random r = new Random(5);
    INDArray q = random(r, 2, 2, 3, 4); // [batch, heads, T, d]
    INDArray k = random(r, 2, 1, 3, 4); // one key/value head shared by both query heads
    INDArray v = random(r, 2, 1, 3, 5);
    boolean[][] keys = {{T, T, F}, {T, T, T}}; // batch 0: the last key is padding
    INDArray mask = Nd4j.createFromArray(keys).reshape(2, 1, 1, 3);
    for (boolean causal : new boolean[] {false, true}) {
      Graph g = new Graph();
      Tensor out =
          g.nn().attention(g.constant(q), g.constant(k), g.constant(v), g.constant(mask), causal);
      assertEquals(Shape.of(2, 2, 3, 5), out.shape());
      INDArray got = Eval.run(out);
      INDArray want = reference(q, k, v, keys, causal);
      assertArrayEquals(want.shape(), got.shape());
      for (long i = 0; i < want.length(); i++) {
        assertEquals(want.getDouble(i), got.getDouble(i), 1e-12, "causal " + causal + " @" + i);
      }
    }
    // lengths and depth known only when run: the scale and the causal mask come from the values
    Graph open = new Graph();
    Tensor pq = open.placeholder(DType.FLOAT64, Shape.of(-1, 2, -1, -1), "q");
    Tensor pk = open.placeholder(DType.FLOAT64, Shape.of(-1, 1, -1, -1), "k");
    Tensor pv = open.placeholder(DType.FLOAT64, Shape.of(-1, 1, -1, -1), "v");
    Tensor pm = open.placeholder(DType.BOOL, Shape.of(-1, 1, 1, -1), "mask");
    INDArray late =
        Eval.run(open.nn().attention(pq, pk, pv, pm, true), Map.of(pq, q, pk, k, pv, v, pm, mask));
    INDArray causalWant = reference(q, k, v, keys, true);
    assertTrue(causalWant.equalsWithEps(late, 1e-12), "run-time shapes: " + late);
    Graph g = new Graph();
    INDArray noMask =
        Eval.run(g.nn().attention(g.constant(q), g.constant(k), g.constant(v), null, false));
    INDArray want = reference(q, k, v, new boolean[][] {{T, T, T}, {T, T, T}}, false);
    assertTrue(want.equalsWithEps(noMask, 1e-12), "no mask: " + noMask + " vs " + want);
  }

  /** out[b,h,i] = sum_j p_j v[b,j] with p = softmax over allowed j of q[b,h,i]·k[b,j] / sqrt(d). */
  private static INDArray reference(
      INDArray q, INDArray k, INDArray v, boolean[][] keys, boolean causal) {
    long batch = q.size(0);
    long heads = q.size(1);
    long t = q.size(2);
    long d = q.size(3);
    long dv = v.size(3);
    INDArray out = Nd4j.zeros(DataType.DOUBLE, batch, heads, t, dv);
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < t; i++) {
          double[] p = new double[(int) t];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < t; j++) {
            double s = 0;
            for (int e = 0; e < d; e++) {
              s += q.getDouble(b, h, i, e) * k.getDouble(b, 0, j, e);
            }
            p[j] = s / Math.sqrt(d);
            if (keys[b][j] && (!causal || j <= i)) {
              max = Math.max(max, p[j]);
            }
          }
          double total = 0;
          for (int j = 0; j < t; j++) {
            p[j] = keys[b][j] && (!causal || j <= i) ? Math.exp(p[j] - max) : 0;
            total += p[j];
          }
          for (int e = 0; e < dv; e++) {
            double sum = 0;
            for (int j = 0; j < t; j++) {
              sum += p[j] / total * v.getDouble(b, 0, j, e);
            }
            out.putScalar(new long[] {b, h, i, e}, sum);
          }
        }
      }
    }
    return out;
  }

  @Test
  void attentionGradientMatchesFiniteDifferencesForQueriesKeysAndValues() {
    Random r = new Random(9);
    // [batch, heads, T, d] queries against keys and values shared by the heads (broadcast)
    INDArray mask =
        Nd4j.createFromArray(new boolean[][] {{T, T, F}, {T, T, T}}).reshape(2, 1, 1, 3);
    GradCheck.check(
        List.of(random(r, 2, 2, 3, 2), random(r, 2, 1, 3, 2), random(r, 2, 1, 3, 3)),
        xs -> {
          Graph g = xs.get(0).graph();
          return g.nn().attention(xs.get(0), xs.get(1), xs.get(2), g.constant(mask), true);
        });
  }

  @Test
  void causalMaskIsTrueOnAndBelowTheDiagonal() {
    Graph g = new Graph();
    Tensor scores = g.placeholder(DType.FLOAT32, Shape.of(-1, 2, 3), "scores");
    INDArray m =
        Eval.run(g.nn().causalMask(scores), Map.of(scores, Nd4j.zeros(DataType.FLOAT, 1, 2, 3)));
    Eval.assertLongs(DType.BOOL, new long[] {1, 2, 3}, new long[] {1, 0, 0, 1, 1, 0}, m);
  }

  @Test
  void badMasksAndOperandsAreRefusedNamingThem() {
    Graph g = new Graph();
    Tensor logits = g.placeholder(DType.FLOAT32, Shape.of(2, 3), "logits");
    Tensor floatMask = g.placeholder(DType.FLOAT32, Shape.of(2, 3), "floatMask");
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> g.nn().softmax(logits, floatMask));
    assertTrue(
        e.getMessage().contains("floatMask") && e.getMessage().contains("bool"), e.getMessage());
    Tensor wide = g.placeholder(DType.BOOL, Shape.of(2, 2), "wide");
    e = assertThrows(AnygraphException.class, () -> g.nn().softmax(logits, wide));
    assertTrue(
        e.getMessage().contains("wide:0 [2, 2]") && e.getMessage().contains("[2, 3]"),
        e.getMessage());
    Tensor q = g.placeholder(DType.FLOAT32, Shape.of(2, 3, 4), "q");
    Tensor k = g.placeholder(DType.FLOAT32, Shape.of(2, 3, 5), "k");
    e = assertThrows(AnygraphException.class, () -> g.nn().attention(q, k, k, null, false));
    assertTrue(
        e.getMessage().contains("q:0 float32[2, 3, 4]")
            && e.getMessage().contains("k:0 float32[2, 3, 5]"),
        e.getMessage());
  }

  static INDArray random(Random r, long... shape) {
    INDArray a = Nd4j.zeros(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, r.nextGaussian());
    }
    return a;
  }
}
