package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Layouts;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.io.Npy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two examples of issue 10, with hand-worked values: ND4J 1.0.0-M2.1 labels a transpose of a
 * computed value as a dense 'c' array, and code that trusted the label read it in memory order.
 */
class PermutedViewRegressionTest {
  /** x[b][i][j] = 12 b + 4 i + j, so its transpose (0, 2, 1) holds 12 b + 4 j + i at [b][i][j]. */
  private static final INDArray ARANGE_24 =
      Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(2, 3, 4);

  private static final double[] TRANSPOSED = {
    0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11,
    12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23
  };

  @Test
  void fetchedTransposeOfAComputedValueAndItsNpyBytes() throws IOException {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(2, 3, 4), "x");
    try (Session sess = new Session(g)) {
      INDArray r = sess.run(x.mul(1.0).transpose(0, 2, 1), Map.of(x, ARANGE_24));
      assertArrayEquals(new long[] {2, 4, 3}, r.shape());
      assertTrue(Layouts.isDenseRowMajor(r), "a fetched value is dense row-major");
      assertArrayEquals(TRANSPOSED, r.data().asDouble());
      INDArray back = Npy.read(new ByteArrayInputStream(Npy.toBytes(r)), "r.npy", DType.FLOAT64);
      assertArrayEquals(new long[] {2, 4, 3}, back.shape());
      assertArrayEquals(TRANSPOSED, back.dup('c').data().asDouble());
    }
  }

  @Test
  void selectOfATransposedComputedValue() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT64, Shape.of(2, 3, 4), "a");
    Tensor allTrue = g.constant(Nd4j.ones(DataType.BOOL, 2, 4, 3));
    Tensor zeros = g.ops().zeros(DType.FLOAT64, 2, 4, 3);
    try (Session sess = new Session(g)) {
      INDArray r =
          sess.run(
              g.ops().select(allTrue, a.mul(1.0).transpose(0, 2, 1), zeros), Map.of(a, ARANGE_24));
      assertArrayEquals(TRANSPOSED, r.data().asDouble());
    }
  }

  /**
   * d/dx sum(relu(x).transpose(2, 0, 1) * w) at x = 1 (relu' = 1) is w transposed back:
   * grad[i][j][k] = w[k][i][j] = 12 k + 4 i + j for w = arange(24) of shape [2, 3, 4].
   */
  @Test
  void reluGradientThroughATranspose() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3, 4, 2), "x");
    Tensor w = g.constant(ARANGE_24);
    Tensor dx = g.grad(g.nn().relu(x).transpose(2, 0, 1).mul(w).sum(), x);
    double[] expected = new double[24];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        for (int k = 0; k < 2; k++) {
          expected[i * 8 + j * 2 + k] = 12 * k + 4 * i + j;
        }
      }
    }
    try (Session sess = new Session(g)) {
      INDArray r = sess.run(dx, Map.of(x, Nd4j.ones(DataType.DOUBLE, 3, 4, 2)));
      assertArrayEquals(new long[] {3, 4, 2}, r.shape());
      assertArrayEquals(expected, r.data().asDouble());
    }
  }
}
