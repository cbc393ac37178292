package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * matmul on batches of matrices (tf.linalg.matmul): values against loops written here that
 * broadcast the batch axes by index arithmetic, errors for shapes TensorFlow refuses, and gradients
 * by finite differences, including over broadcast batch axes and a second derivative.
 */
class BatchedMatmulTest {

  /** Deterministic values in [-1, 1) of the given shape, float64. */
  static INDArray values(long seed, long... shape) {
    Random r = new Random(seed);
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = 2 * r.nextDouble() - 1;
    }
    return Nd4j.createFromArray(v).reshape(shape);
  }

  /** Row-major index of {@code idx} in {@code shape}, where a size-1 axis repeats its element. */
  private static long at(long[] shape, long[] idx) {
    long flat = 0;
    for (int d = 0; d < shape.length; d++) {
      flat = flat * shape[d] + (shape[d] == 1 ? 0 : idx[d]);
    }
    return flat;
  }

  /**
   * C[..., i, j] = sum_p op(A)[..., i, p] op(B)[..., p, j], the batch axes aligned from the right
   * and broadcast; written with plain loops over the output's elements.
   */
  static double[] expected(INDArray a, INDArray b, boolean ta, boolean tb, long[] out) {
    double[] av = a.castTo(DataType.DOUBLE).data().asDouble();
    double[] bv = b.castTo(DataType.DOUBLE).data().asDouble();
    int r = out.length;
    long[] sa = padLeft(a.shape(), r);
    long[] sb = padLeft(b.shape(), r);
    long k = ta ? sa[r - 2] : sa[r - 1];
    int total = 1;
    for (long d : out) {
      total *= (int) d;
    }
    double[] c = new double[total];
    long[] idx = new long[r];
    for (int e = 0; e < total; e++) {
      long rest = e;
      for (int d = r - 1; d >= 0; d--) {
        idx[d] = rest % out[d];
        rest /= out[d];
      }
      long i = idx[r - 2];
      long j = idx[r - 1];
      double sum = 0;
      for (long p = 0; p < k; p++) {
        long[] ia = idx.clone();
        ia[r - 2] = ta ? p : i;
        ia[r - 1] = ta ? i : p;
        long[] ib = idx.clone();
        ib[r - 2] = tb ? j : p;
        ib[r - 1] = tb ? p : j;
        sum += av[(int) at(sa, ia)] * bv[(int) at(sb, ib)];
      }
      c[e] = sum;
    }
    return c;
  }

  private static long[] padLeft(long[] shape, int rank) {
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
    return out;
  }

  private static void assertClose(double[] expected, INDArray actual, double tol) {
    double[] got = actual.castTo(DataType.DOUBLE).data().asDouble();
    assertEquals(expected.length, got.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }
  }

  private static void check(long[] shapeA, long[] shapeB, boolean ta, boolean tb, long[] out) {
    for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      INDArray a = values(1, shapeA).castTo(dt.nd4j());
      INDArray b = values(2, shapeB).castTo(dt.nd4j());
      Graph g = new Graph();
      Tensor c = g.ops().matmul(g.constant(a), g.constant(b), ta, tb);
      assertEquals(Shape.of(out), c.shape(), "static shape");
      INDArray got = run(c);
      assertEquals(dt.nd4j(), got.dataType());
      assertArrayEquals(out, got.shape());
      assertClose(expected(a, b, ta, tb, out), got, dt == DType.FLOAT64 ? 1e-12 : 1e-5);
    }
  }

  @Test
  @CoversForward("matmul")
  void equalBatchesInEveryTransposeCombination() {
    check(new long[] {3, 2, 4}, new long[] {3, 4, 5}, false, false, new long[] {3, 2, 5});
    check(new long[] {3, 4, 2}, new long[] {3, 4, 5}, true, false, new long[] {3, 2, 5});
    check(new long[] {3, 2, 4}, new long[] {3, 5, 4}, false, true, new long[] {3, 2, 5});
    check(new long[] {3, 4, 2}, new long[] {3, 5, 4}, true, true, new long[] {3, 2, 5});
  }

  @Test
  void batchAxesBroadcastLikeNumPy() {
    check(new long[] {2, 1, 3, 4}, new long[] {5, 4, 6}, false, false, new long[] {2, 5, 3, 6});
    check(new long[] {2, 1, 4, 3}, new long[] {5, 6, 4}, true, true, new long[] {2, 5, 3, 6});
    check(new long[] {3, 4}, new long[] {2, 3, 4, 5}, false, false, new long[] {2, 3, 3, 5});
    check(new long[] {2, 3, 3, 4}, new long[] {5, 4}, false, true, new long[] {2, 3, 3, 5});
    check(new long[] {1, 2, 3}, new long[] {4, 3, 2}, false, false, new long[] {4, 2, 2});
  }

  @Test
  void emptyBatchesAndEmptyContraction() {
    check(new long[] {0, 2, 3}, new long[] {3, 4}, false, false, new long[] {0, 2, 4});
    Graph g = new Graph();
    Tensor c =
        g.ops()
            .matmul(
                g.constant(Nd4j.zeros(DataType.DOUBLE, 2, 3, 0)),
                g.constant(Nd4j.ones(DataType.DOUBLE, 2, 0, 4)));
    assertClose(new double[24], run(c), 0);
  }

  @Test
  void permutedAndIntegerOperands() {
    Graph g = new Graph();
    INDArray a = values(3, 4, 2, 3);
    INDArray b = values(4, 3, 5);
    // a transpose node gives the kernel a permuted view
    Tensor at = g.ops().transpose(g.constant(a.permute(1, 0, 2).dup('c')), 1, 0, 2);
    assertClose(
        expected(a, b, false, false, new long[] {4, 2, 5}),
        run(g.ops().matmul(at, g.constant(b))),
        1e-12);
    Graph h = new Graph();
    INDArray ai = Nd4j.createFromArray(new int[] {1, 2, 3, 4, 5, 6, 7, 8}).reshape(2, 2, 2);
    INDArray bi = Nd4j.createFromArray(new int[] {1, -1, 2, 0}).reshape(2, 2);
    INDArray got = run(h.ops().matmul(h.constant(ai), h.constant(bi)));
    assertEquals(DataType.INT, got.dataType());
    assertClose(expected(ai, bi, false, false, new long[] {2, 2, 2}), got, 0);
  }

  @Test
  void shapesWithUnknownDimensions() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, Shape.of(-1, 1, 3, 4), "a");
    Tensor b = g.placeholder(DType.FLOAT64, Shape.of(5, -1, 6), "b");
    Tensor c = g.ops().matmul(a, b);
    assertEquals(Shape.of(-1, 5, 3, 6), c.shape());
    Tensor u = g.placeholder(DType.FLOAT64, "u");
    assertEquals(Shape.unknownRank(), g.ops().matmul(u, b).shape());
    INDArray av = values(5, 2, 1, 3, 4);
    INDArray bv = values(6, 5, 4, 6);
    INDArray got = run(c, Map.of(a, av, b, bv));
    assertArrayEquals(new long[] {2, 5, 3, 6}, got.shape());
    assertClose(expected(av, bv, false, false, new long[] {2, 5, 3, 6}), got, 1e-12);
    INDArray viaUnknownRank = run(g.ops().matmul(u, b), Map.of(u, av, b, bv));
    assertClose(expected(av, bv, false, false, new long[] {2, 5, 3, 6}), viaUnknownRank, 1e-12);
  }

  @Test
  void mismatchedShapesFailNamingNodeOpAndShapes() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(2, 3, 4), "a");
    Tensor inner = g.placeholder(DType.FLOAT32, Shape.of(2, 5, 6), "inner");
    AnygraphException e = assertThrows(AnygraphException.class, () -> g.ops().matmul(a, inner));
    assertTrue(
        e.getMessage().contains("matmul")
            && e.getMessage().contains("4 vs 5")
            && e.getMessage().contains("[2, 3, 4]")
            && e.getMessage().contains("[2, 5, 6]"),
        e.getMessage());
    Tensor batch = g.placeholder(DType.FLOAT32, Shape.of(3, 4, 6), "batch");
    e = assertThrows(AnygraphException.class, () -> g.ops().matmul(a, batch));
    assertTrue(
        e.getMessage().contains("batch dimensions [2]")
            && e.getMessage().contains("[3]")
            && e.getMessage().contains("(op matmul)"),
        e.getMessage());
    Tensor vector = g.placeholder(DType.FLOAT32, Shape.of(4), "vector");
    e = assertThrows(AnygraphException.class, () -> g.ops().matmul(a, vector));
    assertTrue(
        e.getMessage().contains("rank >= 2") && e.getMessage().contains("ranks 3 and 1"),
        e.getMessage());
  }

  @Test
  void mismatchesFoundOnlyWhenRunFailBeforeNativeCode() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, "a");
    Tensor b = g.placeholder(DType.FLOAT64, Shape.of(-1, 4, 6), "b");
    Tensor c = g.withName("product").matmul(a, b);
    AnygraphException batch =
        assertThrows(
            AnygraphException.class,
            () -> run(c, Map.of(a, values(1, 2, 3, 4), b, values(2, 3, 4, 6))));
    assertTrue(
        batch.getMessage().contains("'product'")
            && batch.getMessage().contains("matmul")
            && batch.getMessage().contains("[2]")
            && batch.getMessage().contains("[3]"),
        batch.getMessage());
    AnygraphException inner =
        assertThrows(
            AnygraphException.class,
            () -> run(c, Map.of(a, values(1, 3, 3, 5), b, values(2, 3, 4, 6))));
    assertTrue(
        inner.getMessage().contains("'product'") && inner.getMessage().contains("5 vs 4"),
        inner.getMessage());
    AnygraphException vector =
        assertThrows(
            AnygraphException.class, () -> run(c, Map.of(a, values(1, 4), b, values(2, 3, 4, 6))));
    assertTrue(
        vector.getMessage().contains("'product'") && vector.getMessage().contains("rank >= 2"),
        vector.getMessage());
  }

  @Test
  @CoversGradient("matmul")
  void gradientsWithBroadcastBatchAxes() {
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        INDArray a = values(7, ta ? new long[] {2, 1, 4, 3} : new long[] {2, 1, 3, 4});
        INDArray b = values(8, tb ? new long[] {5, 2, 4} : new long[] {5, 4, 2});
        GradCheck.check(
            List.of(a, b), xs -> xs.get(0).graph().ops().matmul(xs.get(0), xs.get(1), ta, tb));
      }
    }
    // a matrix against a batch: its gradient sums over the whole batch
    GradCheck.check(
        List.of(values(9, 3, 4), values(10, 2, 4, 2)),
        xs -> xs.get(0).graph().ops().matmul(xs.get(0), xs.get(1)));
  }

  @Test
  void gradientsWhenOnlyRunTimeShapesAreKnown() {
    GradCheck.check(
        List.of(values(11, 2, 1, 3, 4), values(12, 3, 4, 2)),
        List.of(Shape.unknownRank(), Shape.of(-1, -1, -1)),
        xs -> xs.get(0).graph().ops().matmul(xs.get(0), xs.get(1)));
  }

  @Test
  void secondDerivativeThroughBroadcastBatches() {
    // d/dA of sum((A B) ⊙ (A B)) is itself checked by finite differences
    GradCheck.check(
        List.of(values(13, 2, 1, 3, 4), values(14, 3, 4, 2)),
        xs -> {
          Graph g = xs.get(0).graph();
          Tensor c = g.ops().matmul(xs.get(0), xs.get(1));
          return g.grad(c.mul(c).sum(), List.of(xs.get(0))).get(0);
        });
  }
}
