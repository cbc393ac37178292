package io.anygraph.local.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Gemm}, on oneDNN's matmul and split into blocks across threads: every product equals the
 * product written out as plain loops in double precision, for each transposition, for row ranges
 * and slices of larger arrays (the views the convolution passes), with alpha and beta, split by
 * rows and by columns; and the same bits run after run, however the blocks land on threads.
 */
class GemmTest {
  private static final Random RANDOM = new Random(7);

  private static INDArray random(DataType t, long... shape) {
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, RANDOM.nextGaussian());
    }
    return a.castTo(t);
  }

  /** alpha·op(a)·op(b) + beta·c, in double, by the definition. */
  private static double[][] expected(
      INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha, double beta) {
    double[][] x = a.castTo(DataType.DOUBLE).toDoubleMatrix();
    double[][] y = b.castTo(DataType.DOUBLE).toDoubleMatrix();
    int m = ta ? x[0].length : x.length;
    int k = ta ? x.length : x[0].length;
    int n = tb ? y.length : y[0].length;
    double[][] out = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (ta ? x[p][i] : x[i][p]) * (tb ? y[j][p] : y[p][j]);
        }
        out[i][j] = alpha * s + beta * c.getDouble(i, j);
      }
    }
    return out;
  }

  private static void check(double[][] want, INDArray got, double tol) {
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        assertEquals(
            want[i][j], got.getDouble(i, j), tol * (1 + Math.abs(want[i][j])), i + "," + j);
      }
    }
  }

  @Test
  void everyTranspositionMatchesTheDefinition() {
    for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      double tol = t == DataType.FLOAT ? 1e-4 : 1e-12;
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          // the last is large enough for oneDNN's matmul (at least 2^21 multiply-adds)
          for (int[] mnk :
              new int[][] {
                {130, 70, 90}, {20, 300, 64}, {1, 257, 33}, {300, 1, 40}, {150, 130, 120}
              }) {
            INDArray a = ta ? random(t, mnk[2], mnk[0]) : random(t, mnk[0], mnk[2]);
            INDArray b = tb ? random(t, mnk[1], mnk[2]) : random(t, mnk[2], mnk[1]);
            INDArray c = random(t, mnk[0], mnk[1]);
            double[][] want = expected(a, b, c, ta, tb, 0.5, 2.0);
            Gemm.multiply(a, b, c, ta, tb, 0.5, 2.0);
            check(want, c, tol);
            for (boolean oneDnn : new boolean[] {true, false}) { // alpha 1, beta 0: either GEMM
              boolean before = NativeBuild.useOneDnn(oneDnn);
              try {
                INDArray plain = random(t, mnk[0], mnk[1]);
                double[][] product = expected(a, b, plain, ta, tb, 1.0, 0.0);
                Gemm.multiply(a, b, plain, ta, tb, 1.0, 0.0);
                check(product, plain, tol);
              } finally {
                NativeBuild.useOneDnn(before);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void rowRangesAndSlicesOfLargerArraysAreReadWhereTheyLie() {
    for (boolean oneDnn : new boolean[] {true, false}) {
      boolean before = NativeBuild.useOneDnn(oneDnn);
      try {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
          rowRangesAndSlices(t);
        }
      } finally {
        NativeBuild.useOneDnn(before);
      }
    }
  }

  private static void rowRangesAndSlices(DataType t) {
    INDArray big = random(t, 400, 200); // 300 x 200 x 40: large enough for oneDNN
    INDArray a = big.get(interval(37, 337), all()); // 300 rows from row 37: an offset view
    INDArray stack = random(t, 3, 200, 40);
    INDArray b = stack.get(point(2), all(), all()); // the last matrix of a stack
    INDArray outer = Nd4j.zeros(t, 310, 50);
    INDArray c = outer.get(interval(5, 305), interval(3, 43)); // rows 50 apart
    double[][] want = expected(a, b, c, false, false, 1.0, 0.0);
    Gemm.multiply(a, b, c, false, false, 1.0, 0.0);
    check(want, c, 1e-4);
    for (int r : new int[] {0, 4, 305, 309}) { // rows around the view stay untouched
      assertEquals(0.0, outer.getRow(r).sumNumber().doubleValue(), 0.0, "row " + r);
    }
    for (int col : new int[] {0, 2, 43, 49}) { // and the columns beside it
      assertEquals(0.0, outer.getColumn(col).sumNumber().doubleValue(), 0.0, "column " + col);
    }
  }

  @Test
  void theSameBitsRunAfterRun() {
    for (boolean oneDnn : new boolean[] {true, false}) {
      boolean before = NativeBuild.useOneDnn(oneDnn);
      try {
        sameBitsRunAfterRun();
      } finally {
        NativeBuild.useOneDnn(before);
      }
    }
  }

  private static void sameBitsRunAfterRun() {
    INDArray a = random(DataType.FLOAT, 256, 300);
    INDArray b = random(DataType.FLOAT, 300, 200);
    INDArray first = Nd4j.create(DataType.FLOAT, 256, 200);
    Gemm.multiply(a, b, first, false, false, 1.0, 0.0);
    for (int i = 0; i < 20; i++) {
      INDArray again = Nd4j.create(DataType.FLOAT, 256, 200);
      Gemm.multiply(a, b, again, false, false, 1.0, 0.0);
      assertArrayEquals(first.data().asFloat(), again.data().asFloat(), 0f, "run " + i);
    }
  }
}
