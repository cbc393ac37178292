package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import io.anygraph.core.ops.Window;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The max-pooling gradient as a Java loop, for NHWC float32 windows that do not overlap (stride at
 * least the window, no dilation: 2x2 stride 2 and its kind), one example at a time on {@link
 * IntraOp}'s threads. oneDNN's {@code maxpool2d_bp} runs the forward pooling again to find each
 * window's maximum, then scatters: 0.72 ms for the MNIST CNN's first pooling against 0.32 here (two
 * threads, both warm).
 *
 * <p>Each window's gradient goes to its first maximum in row-major order, as libnd4j's and
 * TensorFlow's do, and every other input position gets +0. The comparisons have no branch: the
 * floats' bits become integers that order as the floats do ({@link #orderKey}). A NaN in x makes
 * {@link #tryRun} answer false, and the caller's libnd4j kernel decides, as before.
 *
 * <p>With {@code z}, it computes {@code reluGrad(z, maxPoolGrad(x, dy))} in the same pass: the
 * gradient stays only where z is positive ({@link ReluLoops#positiveMask}), which saves relu's
 * gradient a pass of its own over the whole input (CNN's first layer: 0.37 against 1.19 ms for
 * libnd4j's pooling gradient and then {@link ReluLoops}).
 */
final class MaxPoolGradLoop {
  private static final int FLOAT_INF = 0x7f800000;

  /** Below every key, and no offset into a band: padding, and no position chosen yet. */
  private static final int NONE = Integer.MIN_VALUE;

  private MaxPoolGradLoop() {}

  /**
   * {@code out = maxPoolGrad(x, dy)} over the window {@code w}, masked by {@code z > 0} when z is
   * not null; answers whether it did. False: the window, layout or dtype is not one this loop takes
   * (out untouched), or x holds a NaN (out partly written: the caller writes all of it again).
   */
  static boolean tryRun(Window w, INDArray x, INDArray dy, INDArray z, INDArray out) {
    return tryRun(w, x, dy, z, out, null);
  }

  /**
   * As {@link #tryRun(Window, INDArray, INDArray, INDArray, INDArray)}, and where {@code
   * channelSums} is not null, out summed over all but the channel axis into it (a bias's gradient),
   * from the values each window passes on: in double, each example's sums in its own array, added
   * in example order, so that the result does not depend on how many threads ran.
   */
  static boolean tryRun(
      Window w, INDArray x, INDArray dy, INDArray z, INDArray out, INDArray channelSums) {
    if (!applies(w, x, dy, z, out)
        || channelSums != null
            && (channelSums.dataType() != DataType.FLOAT
                || channelSums.length() != x.size(3)
                || channelSums.rank() != 1)) {
      return false;
    }
    IntBuffer xs = ints(x);
    Geometry g = new Geometry(w, x.shape(), dy.shape());
    IntBuffer ds = ints(dy);
    IntBuffer zs = z == null ? null : ints(z);
    IntBuffer os = ints(out);
    int blocks =
        Math.max(1, Math.min(Math.min(IntraOp.threads() * 4, g.n), (int) (x.length() >> 15)));
    AtomicBoolean nan = new AtomicBoolean();
    double[][] sums = channelSums == null ? null : new double[g.n][];
    IntraOp.run(
        blocks,
        b -> {
          Scratch s = Scratch.of(g);
          for (int n = g.n * b / blocks; n < g.n * (b + 1) / blocks && !nan.get(); n++) {
            if (!example(g, xs, ds, zs, os, n, s, sums)) {
              nan.set(true);
            }
          }
        });
    if (nan.get()) {
      return false;
    }
    if (sums != null) {
      for (int ch = 0; ch < g.c; ch++) {
        double total = 0;
        for (double[] example : sums) {
          total += example[ch];
        }
        channelSums.putScalar(ch, (float) total);
      }
    }
    return true;
  }

  private static boolean applies(Window w, INDArray x, INDArray dy, INDArray z, INDArray out) {
    INDArray[] all = z == null ? new INDArray[] {x, dy, out} : new INDArray[] {x, dy, z, out};
    for (INDArray a : all) {
      if (a.dataType() != DataType.FLOAT || a.rank() != 4 || !Layouts.isDenseRowMajor(a)) {
        return false;
      }
    }
    return !w.nchw()
        && w.dH() == 1
        && w.dW() == 1
        && w.sH() >= w.kH()
        && w.sW() >= w.kW()
        && dy.length() > 0
        && x.length() < Integer.MAX_VALUE / 4 // a Java buffer views under 2 GiB
        && Arrays.equals(x.shape(), out.shape())
        && (z == null || Arrays.equals(x.shape(), z.shape()))
        && dy.size(0) == x.size(0)
        && dy.size(3) == x.size(3)
        && dy.size(1) == Window.outSize(x.size(1), w.kH(), w.sH(), 1, w.same())
        && dy.size(2) == Window.outSize(x.size(2), w.kW(), w.sW(), 1, w.same());
  }

  /**
   * Example {@code n}'s input gradient, built in {@code s.image} and written with one copy. Answers
   * false when x holds a NaN there.
   *
   * <p>For each window row r, {@code s.plane} holds, for every output row, its input row r as keys
   * in padded columns (padding, and rows off the image, hold {@link #NONE}, below every key, so it
   * never wins). The window positions are visited in row-major order, each a pass over the whole
   * plane that keeps, at j, the best key so far of the window starting there and which position
   * that was. Only window starts are read at the end: the passes do {@code sW} times the work
   * needed, but as long straight loops over arrays, which the JIT turns into vector instructions (a
   * shifted index into the array, {@code Math.max} or short loops keep it from doing so: each pass
   * reads an aligned copy and compares without branches).
   */
  private static boolean example(
      Geometry g,
      IntBuffer x,
      IntBuffer dy,
      IntBuffer z,
      IntBuffer out,
      int n,
      Scratch s,
      double[][] sums) {
    int rowLength = g.w * g.c;
    int imageLength = g.h * rowLength;
    int start = n * imageLength;
    int[] image = s.image;
    x.get(start, image, 0, imageLength);
    if (toKeys(image, imageLength) < 0) {
      return false;
    }
    int[] plane = s.plane;
    int[] shifted = s.shifted;
    int[] bestKey = s.bestKey;
    int[] from = s.from;
    int padded = g.ow * g.sW * g.c; // a padded row: every window's columns
    int length = g.oh * padded - (g.kW - 1) * g.c; // every window start, shifted in range
    int padLeft = g.left * g.c;
    int copied = Math.min(g.w, g.ow * g.sW - g.left) * g.c; // columns some window covers
    Arrays.fill(bestKey, 0, length, NONE);
    Arrays.fill(from, 0, length, NONE);
    for (int r = 0; r < g.kH; r++) {
      for (int oh = 0; oh < g.oh; oh++) {
        int inputRow = oh * g.sH - g.top + r;
        // a buffer kept from a call with other padding may hold keys in this call's padding
        Arrays.fill(plane, oh * padded, oh * padded + padLeft, NONE);
        Arrays.fill(plane, oh * padded + padLeft + copied, (oh + 1) * padded, NONE);
        if (inputRow < 0 || inputRow >= g.h) {
          Arrays.fill(plane, oh * padded + padLeft, oh * padded + padLeft + copied, NONE);
        } else {
          System.arraycopy(image, inputRow * rowLength, plane, oh * padded + padLeft, copied);
        }
      }
      for (int b = 0; b < g.kW; b++) {
        System.arraycopy(plane, b * g.c, shifted, 0, length);
        keepGreater(shifted, bestKey, from, length, r * g.kW + b);
      }
    }
    Arrays.fill(image, 0, imageLength, 0);
    int[] grads = s.grads;
    dy.get(n * g.oh * g.ow * g.c, grads, 0, g.oh * g.ow * g.c);
    int[] offsets = g.offsets;
    int[] at = s.at; // where each window's gradient went, -1 for none
    for (int oh = 0, i = 0; oh < g.oh; oh++) {
      for (int ow = 0; ow < g.ow; ow++) {
        int j = oh * padded + ow * g.sW * g.c;
        int corner = (oh * g.sH - g.top) * rowLength + (ow * g.sW - g.left) * g.c;
        for (int ch = 0; ch < g.c; ch++, i++) {
          int p = from[j + ch];
          at[i] = p == NONE ? -1 : corner + offsets[p] + ch;
          if (p != NONE) {
            image[at[i]] = grads[i];
          }
        }
      }
    }
    if (z != null) {
      int[] masks = s.masks;
      z.get(start, masks, 0, imageLength);
      for (int i = 0; i < imageLength; i++) {
        image[i] &= ReluLoops.positiveMask(masks[i]);
      }
    }
    out.put(start, image, 0, imageLength);
    if (sums != null) { // every other position holds +0
      double[] sum = new double[g.c];
      for (int i = 0; i < g.oh * g.ow * g.c; ) {
        for (int ch = 0; ch < g.c; ch++, i++) {
          if (at[i] >= 0) {
            sum[ch] += Float.intBitsToFloat(image[at[i]]);
          }
        }
      }
      sums[n] = sum;
    }
    return true;
  }

  /** Bits to {@link #orderKey}s in place; negative when some of them were a NaN. */
  private static int toKeys(int[] a, int length) {
    int nan = 0;
    for (int i = 0; i < length; i++) {
      int v = a[i];
      nan |= FLOAT_INF - (v & 0x7fffffff); // negative exactly for a NaN
      a[i] = orderKey(v);
    }
    return nan;
  }

  /** Where {@code keys[j] > bestKey[j]}, it becomes the best, found at window position p. */
  private static void keepGreater(int[] keys, int[] bestKey, int[] from, int n, int p) {
    for (int j = 0; j < n; j++) {
      int k = keys[j];
      int best = bestKey[j];
      int d = best - k;
      // all ones when best < k (the sign of best - k, corrected where it overflows)
      int greater = (d ^ ((best ^ k) & (d ^ best))) >> 31;
      bestKey[j] = (best & ~greater) | (k & greater);
      from[j] = (from[j] & ~greater) | (p & greater);
    }
  }

  /**
   * An integer that orders as the float with these bits does (NaN aside): negative floats' bits
   * count down, so their magnitude bits are flipped, and negatives move up by one so that -0 and +0
   * meet at 0 (-0 == +0 for floats) and no key is {@link #NONE}.
   */
  private static int orderKey(int bits) {
    int k = bits ^ ((bits >> 31) & 0x7fffffff);
    return k + (k >>> 31);
  }

  private static IntBuffer ints(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
  }

  /** Sizes of one call: x is [n, h, w, c], dy [n, oh, ow, c]. */
  private static final class Geometry {
    final int n, h, w, c, oh, ow, kH, kW, sH, sW, top, left;

    /** Window position p (row-major) as an offset from the window's corner in an example. */
    final int[] offsets;

    Geometry(Window win, long[] x, long[] dy) {
      n = (int) x[0];
      h = (int) x[1];
      w = (int) x[2];
      c = (int) x[3];
      oh = (int) dy[1];
      ow = (int) dy[2];
      kH = (int) win.kH();
      kW = (int) win.kW();
      sH = (int) win.sH();
      sW = (int) win.sW();
      top = (int) Window.padBefore(h, kH, sH, 1, win.same());
      left = (int) Window.padBefore(w, kW, sW, 1, win.same());
      offsets = new int[kH * kW];
      for (int p = 0; p < offsets.length; p++) {
        offsets[p] = (p / kW * w + p % kW) * c;
      }
    }
  }

  /**
   * One thread's arrays: an example's input (keys, then gradient), its window rows as planes; kept
   * from call to call while they are small (an image of up to {@link #KEPT_INTS} values: a
   * library's threads should not hold large arrays for good), grown when a call needs more.
   */
  private static final class Scratch {
    private static final int KEPT_INTS = 1 << 20;
    private static final ThreadLocal<Scratch> KEPT = ThreadLocal.withInitial(Scratch::new);

    int[] image = new int[0];
    int[] masks = image;
    int[] plane = image;
    int[] shifted = image;
    int[] bestKey = image;
    int[] from = image;
    int[] grads = image;
    int[] at = image;

    static Scratch of(Geometry g) {
      int image = g.h * g.w * g.c;
      int plane = g.oh * g.ow * g.sW * g.c;
      Scratch s = Math.max(image, plane) <= KEPT_INTS ? KEPT.get() : new Scratch();
      if (s.image.length < image) {
        s.image = new int[image];
        s.masks = new int[image];
      }
      if (s.plane.length < plane) {
        s.plane = new int[plane];
        s.shifted = new int[plane];
        s.bestKey = new int[plane];
        s.from = new int[plane];
      }
      if (s.grads.length < g.oh * g.ow * g.c) {
        s.grads = new int[g.oh * g.ow * g.c];
        s.at = new int[g.oh * g.ow * g.c];
      }
      return s;
    }
  }
}
