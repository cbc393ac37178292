package io.anygraph.local.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.ops.Window;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java max-pooling gradient must give, bit for bit, what the definition written out here gives:
 * each window's dy at its first maximum in row-major order (-0 equal to +0, as floats compare), +0
 * everywhere else, and with z, only where z is positive; for windows with padding on every side,
 * strides beyond the window (input rows and columns no window covers), the last window cut short,
 * many examples over several blocks, images too large for the arrays kept between calls; it must
 * agree with libnd4j's kernel, and leave what it does not take (overlapping windows, NCHW, float64,
 * a NaN in x) to it.
 */
class MaxPoolGradLoopTest {
  /** Small integers, ±0 among them, so that windows tie often. */
  private static INDArray ties(long seed, long... shape) {
    Random r = new Random(seed);
    INDArray a = Nd4j.create(DataType.FLOAT, shape);
    for (long i = 0; i < a.length(); i++) {
      int v = r.nextInt(5) - 2;
      a.putScalar(i, v == 0 && r.nextBoolean() ? -0.0f : (float) v);
    }
    return a;
  }

  private static INDArray gaussian(long seed, long... shape) {
    Random r = new Random(seed);
    INDArray a = Nd4j.create(DataType.FLOAT, shape);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, r.nextInt(7) == 0 ? -0.0f : (float) r.nextGaussian());
    }
    return a;
  }

  /** The pooling gradient by its definition, masked by z > 0 when z is given. */
  private static float[] definition(Window w, INDArray x, INDArray dy, INDArray z) {
    long[] s = x.shape();
    int h = (int) s[1];
    int wd = (int) s[2];
    int c = (int) s[3];
    int oh = (int) dy.size(1);
    int ow = (int) dy.size(2);
    int top = (int) Window.padBefore(h, w.kH(), w.sH(), 1, w.same());
    int left = (int) Window.padBefore(wd, w.kW(), w.sW(), 1, w.same());
    float[] out = new float[(int) x.length()];
    for (int n = 0; n < s[0]; n++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int ch = 0; ch < c; ch++) {
            int bestRow = -1;
            int bestCol = -1;
            float best = 0;
            for (int a = 0; a < w.kH(); a++) {
              for (int b = 0; b < w.kW(); b++) {
                int r = (int) (i * w.sH()) - top + a;
                int col = (int) (j * w.sW()) - left + b;
                if (r < 0 || r >= h || col < 0 || col >= wd) {
                  continue;
                }
                float v = x.getFloat(n, r, col, ch);
                if (bestRow < 0 || v > best) {
                  best = v;
                  bestRow = r;
                  bestCol = col;
                }
              }
            }
            if (bestRow >= 0) {
              boolean pass = z == null || z.getFloat(n, bestRow, bestCol, ch) > 0;
              out[((n * h + bestRow) * wd + bestCol) * c + ch] =
                  pass ? dy.getFloat(n, i, j, ch) : 0f;
            }
          }
        }
      }
    }
    return out;
  }

  private static Window window(int k, int s, boolean same) {
    return new Window(k, k, s, s, 1, 1, same, false);
  }

  private static INDArray dyFor(Window w, long seed, long[] x) {
    return gaussian(
        seed,
        x[0],
        Window.outSize(x[1], w.kH(), w.sH(), 1, w.same()),
        Window.outSize(x[2], w.kW(), w.sW(), 1, w.same()),
        x[3]);
  }

  private static void assertSameBits(float[] want, INDArray got, String what) {
    float[] have = got.data().asFloat();
    for (int i = 0; i < want.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(want[i]),
          Float.floatToRawIntBits(have[i]),
          what + " @" + i + ": " + want[i] + " vs " + have[i]);
    }
  }

  @Test
  void passesEachWindowsGradientToItsFirstMaximumBitForBit() {
    Object[][] cases = {
      {new long[] {3, 6, 6, 4}, window(2, 2, false)},
      {new long[] {2, 7, 5, 3}, window(2, 2, true)}, // the last window cut short
      {new long[] {2, 7, 7, 3}, window(3, 3, true)}, // padding on every side
      {new long[] {2, 8, 9, 2}, new Window(2, 3, 3, 4, 1, 1, false, false)}, // gaps, rows left over
      {new long[] {2, 9, 9, 3}, new Window(2, 2, 3, 3, 1, 1, true, false)},
      {new long[] {1, 5, 5, 1}, window(1, 2, false)},
      {new long[] {64, 12, 12, 8}, window(2, 2, true)}, // several blocks
      {new long[] {2, 1030, 1025, 1}, window(2, 2, true)}, // images too large to keep arrays for
    };
    for (Object[] k : cases) {
      long[] shape = (long[]) k[0];
      Window w = (Window) k[1];
      for (boolean integers : new boolean[] {true, false}) {
        INDArray x = integers ? ties(3, shape) : gaussian(4, shape);
        INDArray dy = dyFor(w, 5, shape);
        INDArray z = ties(6, shape);
        String what = Arrays.toString(shape) + " " + w + (integers ? " ties" : "");
        INDArray out = Nd4j.valueArrayOf(shape, 7f, DataType.FLOAT); // all must be written
        assertTrue(MaxPoolGradLoop.tryRun(w, x, dy, null, out), what);
        assertSameBits(definition(w, x, dy, null), out, what);
        INDArray masked = Nd4j.valueArrayOf(shape, 7f, DataType.FLOAT);
        assertTrue(MaxPoolGradLoop.tryRun(w, x, dy, z, masked), what);
        assertSameBits(definition(w, x, dy, z), masked, what + " masked");
      }
    }
  }

  @Test
  void sumsTheChannelsInDoubleWhateverTheThreads() {
    long[] shape = {37, 8, 6, 5};
    Window w = window(2, 2, true);
    INDArray x = gaussian(21, shape);
    INDArray dy = dyFor(w, 22, shape);
    INDArray z = ties(23, shape);
    float[] want = definition(w, x, dy, z);
    double[] sums = new double[5];
    for (int i = 0; i < want.length; i++) {
      sums[i % 5] += want[i];
    }
    INDArray[] got = new INDArray[2];
    int before = IntraOp.threads();
    for (int threads : new int[] {1, 2}) {
      IntraOp.limit(threads);
      try {
        INDArray out = Nd4j.create(DataType.FLOAT, shape);
        got[threads - 1] = Nd4j.create(DataType.FLOAT, 5);
        assertTrue(MaxPoolGradLoop.tryRun(w, x, dy, z, out, got[threads - 1]));
        assertSameBits(want, out, "with sums, " + threads + " threads");
      } finally {
        IntraOp.limit(before);
      }
    }
    for (int ch = 0; ch < 5; ch++) {
      assertEquals((float) sums[ch], got[0].getFloat(ch), "channel " + ch);
    }
    assertEquals(got[0], got[1], "the same bits on one thread and two");
    // a sum of another shape or dtype is left to the caller
    assertFalse(
        MaxPoolGradLoop.tryRun(w, x, dy, z, Nd4j.create(DataType.FLOAT, shape), Nd4j.create(4)));
  }

  @Test
  void agreesWithLibnd4jsKernel() {
    for (boolean same : new boolean[] {true, false}) {
      long[] shape = {4, 9, 8, 5};
      Window w = window(2, 2, same);
      INDArray x = ties(8, shape);
      INDArray dy = dyFor(w, 9, shape);
      INDArray ours = Nd4j.create(DataType.FLOAT, shape);
      assertTrue(MaxPoolGradLoop.tryRun(w, x, dy, null, ours));
      INDArray theirs = Nd4j.create(DataType.FLOAT, shape);
      NativeCall.execInts(
          "maxpool2d_bp", new INDArray[] {x, dy}, new INDArray[] {theirs}, w.poolArgs());
      assertEquals(theirs, ours, "SAME " + same);
    }
  }

  @Test
  void leavesOtherWindowsLayoutsDtypesAndNaNsToLibnd4j() {
    long[] shape = {2, 6, 6, 3};
    INDArray x = gaussian(1, shape);
    INDArray out = Nd4j.valueArrayOf(shape, 7f, DataType.FLOAT);
    Window overlapping = window(3, 2, true);
    assertFalse(MaxPoolGradLoop.tryRun(overlapping, x, dyFor(overlapping, 2, shape), null, out));
    Window dilated = new Window(2, 2, 3, 3, 2, 2, false, false);
    assertFalse(MaxPoolGradLoop.tryRun(dilated, x, gaussian(2, 2, 2, 2, 3), null, out));
    Window nchw = new Window(2, 2, 2, 2, 1, 1, false, true);
    assertFalse(MaxPoolGradLoop.tryRun(nchw, x, gaussian(2, 2, 6, 3, 3), null, out));
    assertTrue(Arrays.stream(toDoubles(out)).allMatch(v -> v == 7), "untouched");
    Window w = window(2, 2, false);
    INDArray dy = dyFor(w, 3, shape);
    INDArray doubles = Nd4j.create(DataType.DOUBLE, shape);
    assertFalse(
        MaxPoolGradLoop.tryRun(
            w, x.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE), null, doubles));
    INDArray withNaN = x.dup();
    withNaN.putScalar(new long[] {1, 4, 5, 2}, Float.NaN);
    assertFalse(MaxPoolGradLoop.tryRun(w, withNaN, dy, null, out));
    withNaN.putScalar(new long[] {1, 4, 5, 2}, Float.intBitsToFloat(0xffc00001)); // a negative NaN
    assertFalse(MaxPoolGradLoop.tryRun(w, withNaN, dy, null, out));
    // infinities are values like any other
    INDArray infinite = x.dup();
    infinite.putScalar(new long[] {0, 0, 0, 0}, Float.POSITIVE_INFINITY);
    infinite.putScalar(new long[] {0, 2, 2, 1}, Float.NEGATIVE_INFINITY);
    assertTrue(MaxPoolGradLoop.tryRun(w, infinite, dy, null, out));
    assertSameBits(definition(w, infinite, dy, null), out, "infinities");
  }

  private static double[] toDoubles(INDArray a) {
    return a.data().asDouble();
  }
}
