package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * relu, {@code x < 0 ? +0 : x}, and its gradient, {@code x > 0 ? dy : +0}, as branch-free Java
 * loops over the floats' bits ({@link FloatChunks}: float32 a chunk at a time, vectorized by C2).
 * libnd4j calls a function per element and branches on the sign: its {@code relu_bp} took 0.76 ms
 * for the CNN's 400k floats, against 0.14 here, and its relu 39 µs for the MLP's [128, 256],
 * against 8 here.
 *
 * <p>{@code x > 0} holds exactly for the bit patterns from the smallest positive subnormal to +∞
 * (not ±0, negatives or NaN), so a mask of all ones or zeros selects dy's bits or +0, the result
 * libnd4j and TensorFlow give, bit for bit (a NaN or ∞ in dy where x ≤ 0 still gives 0, as a
 * product would not). relu zeroes a float whose sign is set and whose magnitude is in (0, ∞]: -0
 * and a NaN pass through unchanged, as in libnd4j's {@code x < 0 ? 0 : x}.
 */
final class ReluLoops {
  /** Bits of +∞: the largest positive non-NaN pattern. */
  private static final int FLOAT_INF = 0x7f800000;

  private static final long DOUBLE_INF = 0x7ff0000000000000L;

  private ReluLoops() {}

  /**
   * Above this many elements libnd4j's relu, on its own threads, is as fast (64k floats: 17 µs
   * either way; 400k: 120 µs there, 148 here).
   */
  private static final long MAX_RELU = 1 << 16;

  /**
   * {@code out = relu(x)} for dense float32 x and out of one length up to {@link #MAX_RELU}
   * elements; answers whether it did.
   */
  static boolean tryRelu(INDArray x, INDArray out) {
    if (out.length() > MAX_RELU
        || !FloatChunks.dense(x)
        || !FloatChunks.dense(out)
        || x.length() != out.length()) {
      return false;
    }
    IntBuffer xs = FloatChunks.ints(x);
    IntBuffer zs = FloatChunks.ints(out);
    FloatChunks.run(
        out.length(),
        FloatChunks.CHUNK,
        (from, to) -> {
          int[] v = FloatChunks.scratch().xi;
          for (int s = from; s < to; s += FloatChunks.CHUNK) {
            int len = Math.min(FloatChunks.CHUNK, to - s);
            xs.get(s, v, 0, len);
            for (int i = 0; i < len; i++) {
              v[i] = reluBits(v[i]);
            }
            zs.put(s, v, 0, len);
          }
        });
    return true;
  }

  /**
   * relu in place on {@code a}, a dense float32 array, answering whether some element was a NaN or
   * at most the lowest finite float (-3.4e38, -∞): what a max pooling gives a window of NaNs, where
   * relu after the pooling would differ from relu before it ({@link ConvKernels#maxPoolThenRelu}).
   * One pass: the check rides along with relu.
   */
  static boolean reluInPlaceFlaggingExtremes(INDArray a) {
    IntBuffer bits = FloatChunks.ints(a);
    int n = (int) a.length();
    int[] v = FloatChunks.scratch().xi;
    int flag = 0;
    for (int at = 0; at < n; at += FloatChunks.CHUNK) {
      int len = Math.min(FloatChunks.CHUNK, n - at);
      bits.get(at, v, 0, len);
      for (int i = 0; i < len; i++) {
        int b = v[i];
        int m = b & 0x7fffffff;
        // negative for a NaN; all ones for a sign bit with a magnitude of at least -3.4e38's
        flag |= (FLOAT_INF - m) | ((b >> 31) & ~((m - LOWEST_MAGNITUDE) >> 31));
        v[i] = reluBits(b);
      }
      bits.put(at, v, 0, len);
    }
    return flag < 0;
  }

  /** Bits of the largest finite float's magnitude (3.4e38). */
  private static final int LOWEST_MAGNITUDE = 0x7f7fffff;

  /**
   * {@code out = x > 0 ? dy : 0} when all three are dense row-major float32 or float64 arrays of
   * one dtype and length; answers whether it did (else the caller runs libnd4j's).
   */
  static boolean tryGrad(INDArray x, INDArray dy, INDArray out) {
    long n = out.length();
    if (x.length() != n || dy.length() != n) {
      return false;
    }
    if (FloatChunks.dense(x) && FloatChunks.dense(dy) && FloatChunks.dense(out)) {
      IntBuffer xs = FloatChunks.ints(x);
      IntBuffer ds = FloatChunks.ints(dy);
      IntBuffer zs = FloatChunks.ints(out);
      FloatChunks.run(n, FloatChunks.CHUNK, (from, to) -> floats(xs, ds, zs, from, to));
      return true;
    }
    if (x.dataType() != DataType.DOUBLE
        || dy.dataType() != DataType.DOUBLE
        || out.dataType() != DataType.DOUBLE
        || !Layouts.isDenseRowMajor(x)
        || !Layouts.isDenseRowMajor(dy)
        || !Layouts.isDenseRowMajor(out)
        || n * Double.BYTES > Integer.MAX_VALUE) { // a Java buffer holds under 2 GiB
      return false;
    }
    LongBuffer xs = longs(x);
    LongBuffer ds = longs(dy);
    LongBuffer zs = longs(out);
    FloatChunks.run(n, FloatChunks.CHUNK, (from, to) -> doubles(xs, ds, zs, from, to));
    return true;
  }

  private static void floats(IntBuffer x, IntBuffer dy, IntBuffer z, int from, int to) {
    FloatChunks.Scratch s = FloatChunks.scratch();
    int[] xs = s.xi;
    int[] ds = s.yi;
    for (int at = from; at < to; at += FloatChunks.CHUNK) {
      int len = Math.min(FloatChunks.CHUNK, to - at);
      x.get(at, xs, 0, len);
      dy.get(at, ds, 0, len);
      for (int i = 0; i < len; i++) {
        ds[i] &= positiveMask(xs[i]);
      }
      z.put(at, ds, 0, len);
    }
  }

  /** relu on a float's bits: +0 for a sign bit with a magnitude in (0, ∞], else the bits. */
  private static int reluBits(int b) {
    return b & ~((b >> 31) & positiveMask(b & 0x7fffffff));
  }

  /** All ones when the float with bits v is above 0 (not ±0, negative or NaN), else 0. */
  static int positiveMask(int v) {
    // both negative exactly when 0 < v <= +inf: the sign bit, spread, is the mask
    return ((-v) & (v - (FLOAT_INF + 1))) >> 31;
  }

  // float64 (rare on a hot path): element by element over the native buffers
  private static void doubles(LongBuffer x, LongBuffer dy, LongBuffer z, int from, int to) {
    for (int i = from; i < to; i++) {
      long v = x.get(i);
      long positive = ((-v) & (v - (DOUBLE_INF + 1))) >> 63;
      z.put(i, dy.get(i) & positive);
    }
  }

  private static LongBuffer longs(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder()).asLongBuffer();
  }
}
