package io.anygraph.local.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The branch-free loops must give relu's {@code x < 0 ? +0 : x} and its gradient's {@code x > 0 ?
 * dy : +0} bit for bit, for every sign, zero, subnormal, infinity and NaN of x and dy, in blocks
 * (an odd length over several blocks) as in one piece, and must leave what it does not cover to
 * libnd4j.
 */
class ReluLoopsTest {
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
        assertTrue(ReluLoops.tryGrad(x, dy, out));
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
    assertTrue(ReluLoops.tryGrad(x, dy, ours));
    NativeCall.exec("relu_bp", new INDArray[] {x, dy}, theirs);
    float[] a = ours.ravel().toFloatVector();
    float[] b = theirs.ravel().toFloatVector();
    for (int i = 0; i < a.length; i++) {
      assertTrue(Float.isNaN(a[i]) ? Float.isNaN(b[i]) : Float.compare(a[i], b[i]) == 0, "@" + i);
    }
  }

  @Test
  void reluZeroesNegativesAndKeepsMinusZeroAndNaNBitForBit() {
    for (int n : new int[] {1, 4097, 65_536}) {
      INDArray x = values(n, 7 + n, DataType.FLOAT);
      INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n);
      assertTrue(ReluLoops.tryRelu(x, out));
      for (int i = 0; i < n; i++) {
        float v = x.getFloat(i);
        float want = v < 0 ? 0f : v;
        assertEquals(
            Float.floatToRawIntBits(want), Float.floatToRawIntBits(out.getFloat(i)), "@" + i);
      }
    }
  }

  @Test
  void reluAgreesWithLibnd4jsAndLeavesLargeArraysToIt() {
    INDArray x = values(60_000, 13, DataType.FLOAT).reshape(600, 100);
    INDArray ours = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
    INDArray theirs = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
    assertTrue(ReluLoops.tryRelu(x, ours));
    Nd4j.getExecutioner().exec(new RectifiedLinear(x, theirs, 0.0));
    float[] af = ours.ravel().toFloatVector();
    float[] bf = theirs.ravel().toFloatVector();
    for (int i = 0; i < af.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(bf[i]) & (Float.isNaN(bf[i]) ? 0 : -1),
          Float.floatToRawIntBits(af[i]) & (Float.isNaN(af[i]) ? 0 : -1),
          "@" + i);
    }
    INDArray large = values(70_000, 17, DataType.FLOAT);
    assertFalse(ReluLoops.tryRelu(large, large.dup()));
    assertFalse(ReluLoops.tryRelu(x.transpose(), ours.reshape(100, 600)));
    INDArray doubles = x.castTo(DataType.DOUBLE);
    assertFalse(ReluLoops.tryRelu(doubles, doubles.dup()));
  }

  @Test
  void reluInPlaceFlagsNaNAndTheLowestFloatOnly() {
    INDArray x = values(9000, 31, DataType.FLOAT);
    INDArray finite = x.dup();
    for (int i = 0; i < finite.length(); i++) {
      float v = finite.getFloat(i);
      if (Float.isNaN(v) || v == Float.NEGATIVE_INFINITY || v == -Float.MAX_VALUE) {
        finite.putScalar(i, 1.5f);
      }
    }
    INDArray want = Nd4j.createUninitialized(DataType.FLOAT, 9000);
    assertTrue(ReluLoops.tryRelu(finite, want));
    INDArray inPlace = finite.dup();
    assertFalse(ReluLoops.reluInPlaceFlaggingExtremes(inPlace)); // +∞ passes
    assertEquals(want, inPlace);
    for (float extreme :
        new float[] {Float.NaN, -Float.NaN, Float.NEGATIVE_INFINITY, -Float.MAX_VALUE}) {
      INDArray one = finite.dup();
      one.putScalar(8999, extreme);
      assertTrue(ReluLoops.reluInPlaceFlaggingExtremes(one), "flags " + extreme);
    }
    INDArray near = finite.dup();
    near.putScalar(17, Math.nextUp(-Float.MAX_VALUE));
    assertFalse(ReluLoops.reluInPlaceFlaggingExtremes(near), "the next float up is not flagged");
  }

  @Test
  void leavesOtherDtypesAndLayoutsToLibnd4j() {
    INDArray half = values(8, 1, DataType.HALF);
    assertFalse(ReluLoops.tryGrad(half, half, Nd4j.createUninitialized(DataType.HALF, 8)));
    INDArray x = values(12, 2, DataType.FLOAT).reshape(3, 4);
    INDArray transposed = x.transpose();
    assertFalse(
        ReluLoops.tryGrad(
            transposed, transposed.dup('c'), Nd4j.createUninitialized(DataType.FLOAT, 4, 3)));
    assertFalse(ReluLoops.tryGrad(x, x.dup(), Nd4j.createUninitialized(DataType.DOUBLE, 3, 4)));
  }
}
