package io.anygraph.local.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sums and means over the last axes against the same sums in double, rounded once to the dtype;
 * what is left to libnd4j (leading axes, large, integer, strided).
 */
class RowReductionsTest {
  private static INDArray values(DataType t, long seed, long... shape) {
    Random r = new Random(seed);
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, r.nextGaussian() * Math.pow(10, r.nextInt(5)));
    }
    return a.castTo(t);
  }

  @Test
  void sumsAndMeansOverTheLastAxesRoundedOnce() {
    long[] shape = {3, 4, 5};
    for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray x = values(t, 7, shape);
      double[] v = x.castTo(DataType.DOUBLE).data().asDouble();
      for (int[] axes : new int[][] {{2}, {1, 2}, {2, 1}, {0, 1, 2}}) {
        int inner = 1;
        for (int a : axes) {
          inner *= (int) shape[a];
        }
        int rows = v.length / inner;
        for (String op : new String[] {"reduce_sum", "reduce_mean"}) {
          INDArray out = Nd4j.create(t, rows);
          assertTrue(RowReductions.tryRun(op, x, axes, out), op);
          for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < inner; j++) {
              sum += v[r * inner + j];
            }
            double want = op.equals("reduce_mean") ? sum / inner : sum;
            double rounded = t == DataType.FLOAT ? (float) want : want;
            assertEquals(rounded, out.getDouble(r), t + " " + op + " row " + r);
          }
        }
      }
    }
  }

  @Test
  void leavesOtherCasesToLibnd4j() {
    INDArray x = values(DataType.FLOAT, 3, 4, 6);
    assertFalse(
        RowReductions.tryRun("reduce_sum", x, new int[] {0}, Nd4j.create(DataType.FLOAT, 6)));
    assertFalse(
        RowReductions.tryRun("reduce_max", x, new int[] {1}, Nd4j.create(DataType.FLOAT, 4)));
    INDArray ints = x.castTo(DataType.INT);
    assertFalse(
        RowReductions.tryRun("reduce_sum", ints, new int[] {1}, Nd4j.create(DataType.INT, 4)));
    assertFalse(
        RowReductions.tryRun(
            "reduce_sum", x.transpose(), new int[] {1}, Nd4j.create(DataType.FLOAT, 6)));
    INDArray large = Nd4j.create(DataType.FLOAT, 200, 100);
    assertFalse(
        RowReductions.tryRun("reduce_sum", large, new int[] {1}, Nd4j.create(DataType.FLOAT, 200)));
  }
}
