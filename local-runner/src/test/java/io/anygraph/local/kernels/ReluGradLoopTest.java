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
 * The branch-free loop must give {@code x > 0 ? dy : +0} bit for bit, for every sign, zero,
 * subnormal, infinity and NaN of x and dy, in blocks (an odd length over several blocks) as in one
 * piece, and must leave what it does not cover to libnd4j.
 */
class ReluGradLoopTest {
  private static final double[] SPECIAL = {
    0.0,
    -0.0,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    Double.MAX_VALUE,
    1.0
  };

  private static INDArray values(int n, long seed, DataType type) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(3) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextGaussian();
    }
    return Nd4j.createFromArray(v).castTo(type);
  }

  @Test
  void selectsDyWhereXIsPositiveBitForBit() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (int n : new int[] {1, 7, 100_003}) {
        INDArray x = values(n, 11 + n, type);
        INDArray dy = values(n, 29 + n, type);
        INDArray out = Nd4j.createUninitialized(type, n);
        assertTrue(ReluGradLoop.tryRun(x, dy, out));
        for (int i = 0; i < n; i++) {
          String at = type + " n=" + n + " @" + i;
          if (type == DataType.FLOAT) {
            float want = x.getFloat(i) > 0 ? dy.getFloat(i) : 0f;
            assertEquals(
                Float.floatToRawIntBits(want), Float.floatToRawIntBits(out.getFloat(i)), at);
          } else {
            double want = x.getDouble(i) > 0 ? dy.getDouble(i) : 0.0;
            assertEquals(
                Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(out.getDouble(i)), at);
          }
        }
      }
    }
  }

  @Test
  void agreesWithLibnd4jsReluBp() {
    INDArray x = values(70_007, 3, DataType.FLOAT).reshape(7, 10_001);
    INDArray dy = values(70_007, 5, DataType.FLOAT).reshape(x.shape());
    INDArray ours = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
    INDArray theirs = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
    assertTrue(ReluGradLoop.tryRun(x, dy, ours));
    NativeCall.exec("relu_bp", new INDArray[] {x, dy}, theirs);
    float[] a = ours.ravel().toFloatVector();
    float[] b = theirs.ravel().toFloatVector();
    for (int i = 0; i < a.length; i++) {
      assertTrue(Float.isNaN(a[i]) ? Float.isNaN(b[i]) : Float.compare(a[i], b[i]) == 0, "@" + i);
    }
  }

  @Test
  void leavesOtherDtypesAndLayoutsToLibnd4j() {
    INDArray half = values(8, 1, DataType.HALF);
    assertFalse(ReluGradLoop.tryRun(half, half, Nd4j.createUninitialized(DataType.HALF, 8)));
    INDArray x = values(12, 2, DataType.FLOAT).reshape(3, 4);
    INDArray transposed = x.transpose();
    assertFalse(
        ReluGradLoop.tryRun(
            transposed, transposed.dup('c'), Nd4j.createUninitialized(DataType.FLOAT, 4, 3)));
    assertFalse(ReluGradLoop.tryRun(x, x.dup(), Nd4j.createUninitialized(DataType.DOUBLE, 3, 4)));
  }
}
