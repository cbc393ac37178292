package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Matrix products against a triple loop, in all four transpose combinations. */
class LinalgOpsTest {
  private static final double[] A = {1, 2, 3, 4, 5, 6}; // [2,3]
  private static final double[] B = {7, 8, 9, 10, 11, 12, 0.5, -1, 2, -3, 4, 0}; // [3,4]

  /** C = A B with A [m,k], B [k,n], row-major. */
  private static double[] product(double[] a, double[] b, int m, int k, int n) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        for (int p = 0; p < k; p++) {
          c[i * n + j] += a[i * k + p] * b[p * n + j];
        }
      }
    }
    return c;
  }

  private static double[] transposed(double[] a, int rows, int cols) {
    double[] t = new double[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }

  @Test
  @CoversForward("matmul")
  void matmulWithEveryTransposeFlag() {
    double[] expected = product(A, B, 2, 3, 4);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Graph g = new Graph();
        INDArray a =
            ta ? doubles(new long[] {3, 2}, transposed(A, 2, 3)) : doubles(new long[] {2, 3}, A);
        INDArray b =
            tb ? doubles(new long[] {4, 3}, transposed(B, 3, 4)) : doubles(new long[] {3, 4}, B);
        Tensor c = g.ops().matmul(g.constant(a), g.constant(b), ta, tb);
        assertValues(DType.FLOAT64, new long[] {2, 4}, expected, run(c));
      }
    }
  }

  @Test
  void innerDimensionMismatchFailsWhenBuilt() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "a");
    Tensor b = g.placeholder(DType.FLOAT32, Shape.of(4, 2), "b");
    AnygraphException e = assertThrows(AnygraphException.class, () -> a.matmul(b));
    assertTrue(
        e.getMessage().contains("matmul") && e.getMessage().contains("3 vs 4"), e.getMessage());
  }

  @Test
  @CoversGradient("matmul")
  void matmulGradientsInEveryTransposeCombination() {
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        INDArray a = doubles(ta ? new long[] {3, 2} : new long[] {2, 3}, A);
        INDArray b = doubles(tb ? new long[] {4, 3} : new long[] {3, 4}, B);
        GradCheck.check(
            List.of(a, b), xs -> xs.get(0).graph().ops().matmul(xs.get(0), xs.get(1), ta, tb));
      }
    }
  }
}
