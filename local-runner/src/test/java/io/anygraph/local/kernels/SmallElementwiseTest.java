package io.anygraph.local.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java path for tiny tensors must give libnd4j's bits, special values included, and must leave
 * every case it does not cover to libnd4j.
 */
class SmallElementwiseTest {
  private static final String[] OPS = {"add", "subtract", "multiply", "divide"};

  /** Ordinary values mixed with zeros of both signs, infinities, NaN and subnormals. */
  private static double[] values(int n, long seed) {
    double[] special = {
      0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-310, -3e-45, 1.0
    };
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : r.nextGaussian() * 1e3;
    }
    return v;
  }

  private static INDArray array(double[] v, DataType type, long... shape) {
    return Nd4j.createFromArray(v).castTo(type).reshape(shape);
  }

  private static void assertSameBits(INDArray want, INDArray got, String what) {
    if (want.dataType() == DataType.FLOAT) {
      float[] w = want.ravel().toFloatVector();
      float[] g = got.ravel().toFloatVector();
      for (int i = 0; i < w.length; i++) {
        // NaN payloads may differ; a NaN must stay a NaN
        if (!(Float.isNaN(w[i]) && Float.isNaN(g[i]))) {
          assertTrue(
              Float.floatToRawIntBits(w[i]) == Float.floatToRawIntBits(g[i]), what + " @" + i);
        }
      }
    } else {
      double[] w = want.ravel().toDoubleVector();
      double[] g = got.ravel().toDoubleVector();
      for (int i = 0; i < w.length; i++) {
        if (!(Double.isNaN(w[i]) && Double.isNaN(g[i]))) {
          assertTrue(
              Double.doubleToRawLongBits(w[i]) == Double.doubleToRawLongBits(g[i]),
              what + " @" + i);
        }
      }
    }
  }

  @Test
  void givesLibnd4jsBitsForSameShapesAndScalarsOnEitherSide() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (String op : OPS) {
        INDArray a = array(values(60, 1), type, 3, 4, 5);
        INDArray b = array(values(60, 2), type, 3, 4, 5);
        INDArray s = array(values(1, 3), type);
        INDArray[][] pairs = {{a, b}, {a, s}, {s, b}, {s, s}};
        for (INDArray[] p : pairs) {
          long[] shape = p[0].length() >= p[1].length() ? p[0].shape() : p[1].shape();
          INDArray viaJava = Nd4j.createUninitialized(type, shape);
          INDArray viaNative = Nd4j.createUninitialized(type, shape);
          assertTrue(SmallElementwise.tryBinary(op, p[0], p[1], viaJava), op + " " + type);
          NativeCall.exec(op, new INDArray[] {p[0], p[1]}, viaNative);
          assertSameBits(viaNative, viaJava, op + " " + type + " " + p[0].length());
        }
      }
    }
  }

  @Test
  void knownValues() {
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, 3);
    SmallElementwise.tryBinary(
        "divide", Nd4j.createFromArray(1f, -1f, 0f), Nd4j.createFromArray(4f, 0f, 0f), out);
    assertArrayEquals(new float[] {0.25f, Float.NEGATIVE_INFINITY, Float.NaN}, out.toFloatVector());
    SmallElementwise.tryBinary(
        "subtract", Nd4j.createFromArray(1f, 2f, 3f), Nd4j.scalar(0.5f), out);
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, out.toFloatVector());
  }

  @Test
  void leavesEveryOtherCaseToLibnd4j() {
    INDArray small = Nd4j.ones(DataType.FLOAT, 4);
    int big = SmallElementwise.MAX_ELEMENTS + 1;
    INDArray large = Nd4j.ones(DataType.FLOAT, big);
    assertFalse(
        SmallElementwise.tryBinary(
            "add", large, large, Nd4j.createUninitialized(DataType.FLOAT, big)));
    // other ops, other dtypes, a broadcast that is not a scalar, a strided view
    assertFalse(SmallElementwise.tryBinary("pow", small, small, small.dup()));
    INDArray ints = Nd4j.ones(DataType.INT32, 4);
    assertFalse(SmallElementwise.tryBinary("add", ints, ints, ints.dup()));
    INDArray matrix = Nd4j.ones(DataType.FLOAT, 4, 4);
    assertFalse(SmallElementwise.tryBinary("add", matrix, small, matrix.dup()));
    INDArray column = Nd4j.ones(DataType.FLOAT, 4, 2).getColumn(0);
    assertFalse(SmallElementwise.tryBinary("add", column, small, small.dup()));
    // mixed operand dtypes are libnd4j's to refuse or promote
    INDArray doubles = Nd4j.ones(DataType.DOUBLE, 4);
    assertFalse(SmallElementwise.tryBinary("add", doubles, small, small.dup()));
  }
}
