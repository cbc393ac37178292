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
 * The Java softmax and log-softmax must give each row's values by the definition, computed here
 * with the largest logit factored out by hand, to a float's (or a double's) last bit or two, also
 * for logits far beyond exp's range; a NaN makes its row NaN; what it does not take goes to
 * libnd4j.
 */
class RowSoftmaxTest {
  private static INDArray logits(DataType t, long seed, int rows, int k, double scale) {
    Random r = new Random(seed);
    INDArray a = Nd4j.create(DataType.DOUBLE, rows, k);
    for (int i = 0; i < rows * k; i++) {
      a.putScalar(i, r.nextGaussian() * scale);
    }
    return a.castTo(t);
  }

  /** log(softmax(row))[j] = row[j] - m - log Σ exp(row - m), m the row's largest value. */
  private static double expected(INDArray x, int i, int j, boolean log) {
    long k = x.size(1);
    double m = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      m = Math.max(m, x.getDouble(i, c));
    }
    double s = 0;
    for (int c = 0; c < k; c++) {
      s += Math.exp(x.getDouble(i, c) - m);
    }
    double v = x.getDouble(i, j) - m;
    return log ? v - Math.log(s) : Math.exp(v) / s;
  }

  @Test
  void givesTheDefinitionsValuesForSmallAndHugeLogits() {
    for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (double scale : new double[] {1, 1e4}) { // exp(1e4) overflows any float
        for (boolean log : new boolean[] {true, false}) {
          INDArray x = logits(t, 3, 37, 10, scale);
          INDArray out = Nd4j.create(t, 37, 10);
          assertTrue(RowSoftmax.tryRun(x, 1, out, log));
          double ulps = t == DataType.FLOAT ? 0x1p-23 : 0x1p-51;
          double tiny = t == DataType.FLOAT ? Float.MIN_NORMAL : Double.MIN_NORMAL; // underflow
          for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 10; j++) {
              double want = expected(x, i, j, log);
              double got = out.getDouble(i, j);
              assertTrue(Double.isFinite(got), t + " scale " + scale + " @" + i + "," + j);
              assertEquals(want, got, 2 * ulps * (log ? Math.max(1, Math.abs(want)) : want) + tiny);
            }
          }
        }
      }
    }
  }

  @Test
  void aNaNMakesItsRowNaNAndLeavesTheOthers() {
    INDArray x = logits(DataType.FLOAT, 5, 3, 4, 1);
    x.putScalar(new long[] {1, 2}, Float.NaN);
    INDArray out = Nd4j.create(DataType.FLOAT, 3, 4);
    assertTrue(RowSoftmax.tryRun(x, 1, out, true));
    for (int j = 0; j < 4; j++) {
      assertTrue(Float.isNaN(out.getFloat(1, j)));
      assertFalse(Float.isNaN(out.getFloat(0, j)));
      assertFalse(Float.isNaN(out.getFloat(2, j)));
    }
  }

  @Test
  void leavesLargeTensorsOtherAxesAndDtypesToLibnd4j() {
    INDArray big = Nd4j.create(DataType.FLOAT, RowSoftmax.MAX_ELEMENTS / 10 + 1, 10);
    assertFalse(RowSoftmax.tryRun(big, 1, big.ulike(), true));
    INDArray x = logits(DataType.FLOAT, 7, 4, 5, 1);
    assertFalse(RowSoftmax.tryRun(x, 0, x.ulike(), true));
    assertFalse(RowSoftmax.tryRun(x.transpose(), 1, Nd4j.create(DataType.FLOAT, 5, 4), true));
    INDArray halves = x.castTo(DataType.HALF);
    assertFalse(RowSoftmax.tryRun(halves, 1, halves.ulike(), true));
  }
}
