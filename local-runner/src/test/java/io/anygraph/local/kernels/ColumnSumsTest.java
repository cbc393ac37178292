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
 * Column sums against the same sums taken in double (float rounding of a few hundred terms at
 * most), for narrow rows, rows of a chunk exactly, rows wider than a chunk, one row, many blocks;
 * the same bits on one thread as on two; what it leaves alone.
 */
class ColumnSumsTest {
  private static float[] values(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * (1 + r.nextInt(4)));
    }
    return v;
  }

  @Test
  void sumsEachColumnOverTheRows() {
    int[][] shapes = {{128, 256}, {128, 10}, {1, 7}, {3, 4096}, {5, 9000}, {50_176, 8}, {600, 333}};
    for (int[] s : shapes) {
      float[] v = values(s[0] * s[1], s[0] + 31L * s[1]);
      INDArray x = Nd4j.createFromArray(v).reshape(s[0], s[1]);
      INDArray out = Nd4j.createUninitialized(DataType.FLOAT, s[1]);
      assertTrue(ColumnSums.tryRun(x, s[0], s[1], out));
      for (int j = 0; j < s[1]; j++) {
        double want = 0;
        double magnitude = 0;
        for (int r = 0; r < s[0]; r++) {
          want += v[r * s[1] + j];
          magnitude += Math.abs(v[r * s[1] + j]);
        }
        // float rounding: each of at most `rows` additions off by half an ulp of the running sum
        double tolerance = 1e-6 * magnitude * Math.max(4, Math.log(s[0]) * 4) + 1e-30;
        assertEquals(want, out.getFloat(j), tolerance, s[0] + "x" + s[1] + " column " + j);
      }
    }
  }

  @Test
  void givesTheSameBitsOnOneThreadAsOnTwo() {
    float[] v = values(50_176 * 8, 5);
    INDArray x = Nd4j.createFromArray(v).reshape(50_176, 8);
    INDArray two = Nd4j.createUninitialized(DataType.FLOAT, 8);
    INDArray one = Nd4j.createUninitialized(DataType.FLOAT, 8);
    assertTrue(ColumnSums.tryRun(x, 50_176, 8, two));
    int before = IntraOp.threads();
    IntraOp.limit(1);
    try {
      assertTrue(ColumnSums.tryRun(x, 50_176, 8, one));
    } finally {
      IntraOp.limit(before);
    }
    assertEquals(two, one);
  }

  @Test
  void leavesOtherDtypesLayoutsAndHugeArraysToTheProduct() {
    INDArray x = Nd4j.createFromArray(values(12, 1)).reshape(3, 4);
    assertFalse(
        ColumnSums.tryRun(x.castTo(DataType.DOUBLE), 3, 4, Nd4j.create(DataType.DOUBLE, 4)));
    assertFalse(ColumnSums.tryRun(x.transpose(), 4, 3, Nd4j.create(DataType.FLOAT, 3)));
    assertFalse(ColumnSums.tryRun(x, 3, 4, Nd4j.create(DataType.FLOAT, 3)));
    INDArray huge = Nd4j.create(DataType.FLOAT, 4096, 1024);
    assertFalse(ColumnSums.tryRun(huge, 4096, 1024, Nd4j.create(DataType.FLOAT, 1024)));
  }
}
