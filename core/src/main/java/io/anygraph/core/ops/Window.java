package io.anygraph.core.ops;

import io.anygraph.core.Attrs;
import io.anygraph.core.Shape;
import java.util.Arrays;

/**
 * The sliding-window geometry shared by convolutions and pooling, read from TensorFlow-style
 * attributes: {@code strides}, {@code dilations} (and {@code ksize} for pooling) as 4 numbers in
 * the layout's order, {@code padding} SAME or VALID, {@code dataFormat} NHWC (default) or NCHW.
 * SAME pads so that out = ceil(in / stride), with the odd pixel at the bottom/right, as TensorFlow
 * does; VALID does not pad.
 */
public record Window(
    long kH, long kW, long sH, long sW, long dH, long dW, boolean same, boolean nchw) {

  /** Reads the window of a node; {@code kH, kW} come from the filter for convolutions. */
  public static Window of(Attrs a, long kH, long kW) {
    boolean nchw = dataFormat(a);
    long[] strides = fourOrOne(a, "strides", nchw);
    long[] dilations = fourOrOne(a, "dilations", nchw);
    String padding = a.getString("padding");
    if (!padding.equals("SAME") && !padding.equals("VALID")) {
      throw new IllegalArgumentException("padding must be SAME or VALID, not '" + padding + "'");
    }
    return new Window(
        kH, kW, strides[0], strides[1], dilations[0], dilations[1], padding.equals("SAME"), nchw);
  }

  /** The pooling window: {@code ksize} like strides. */
  public static Window pooling(Attrs a) {
    long[] k = fourOrOne(a, "ksize", dataFormat(a));
    return of(a, k[0], k[1]);
  }

  static boolean dataFormat(Attrs a) {
    String f = a.has("dataFormat") ? a.getString("dataFormat") : "NHWC";
    if (!f.equals("NHWC") && !f.equals("NCHW")) {
      throw new IllegalArgumentException("dataFormat must be NHWC or NCHW, not '" + f + "'");
    }
    return f.equals("NCHW");
  }

  /** (height, width) of a 4-number attribute whose batch and channel entries must be 1. */
  private static long[] fourOrOne(Attrs a, String name, boolean nchw) {
    if (!a.has(name)) {
      return new long[] {1, 1};
    }
    long[] v = a.getLongs(name);
    if (v.length != 4) {
      throw new IllegalArgumentException(name + " must have 4 entries, not " + Arrays.toString(v));
    }
    int h = nchw ? 2 : 1;
    if (v[0] != 1 || v[nchw ? 1 : 3] != 1 || v[h] < 1 || v[h + 1] < 1) {
      throw new IllegalArgumentException(
          name
              + " "
              + Arrays.toString(v)
              + " must be 1 for batch and channels and positive for height and width");
    }
    return new long[] {v[h], v[h + 1]};
  }

  public int heightAxis() {
    return nchw ? 2 : 1;
  }

  public int channelAxis() {
    return nchw ? 1 : 3;
  }

  /** Output size along one spatial axis (unknown stays unknown). */
  public static long outSize(long in, long k, long s, long d, boolean same) {
    if (in == Shape.UNKNOWN) {
      return Shape.UNKNOWN;
    }
    if (same) {
      return (in + s - 1) / s;
    }
    long span = (k - 1) * d + 1;
    return in < span ? 0 : (in - span) / s + 1;
  }

  /**
   * Zeros before the first element along one spatial axis: SAME splits the padding that makes out =
   * ceil(in / stride) with the odd one after, as TensorFlow does; VALID pads nothing.
   */
  public static long padBefore(long in, long k, long s, long d, boolean same) {
    if (!same) {
      return 0;
    }
    long total = ((in + s - 1) / s - 1) * s + (k - 1) * d + 1 - in;
    return Math.max(0, total) / 2;
  }

  /** The output shape for an input of {@code in} with {@code channels} output channels. */
  public Shape output(Shape in, long channels) {
    long h = outSize(in.dim(heightAxis()), kH, sH, dH, same);
    long w = outSize(in.dim(heightAxis() + 1), kW, sW, dW, same);
    return nchw ? Shape.of(in.dim(0), channels, h, w) : Shape.of(in.dim(0), h, w, channels);
  }

  /**
   * libnd4j's integer arguments for conv2d and its backprop: kH kW sH sW pH pW dH dW same format.
   */
  public long[] convArgs() {
    return new long[] {kH, kW, sH, sW, 0, 0, dH, dW, same ? 1 : 0, nchw ? 0 : 1, 0};
  }

  /**
   * libnd4j's integer arguments for pooling: ... same, divisor mode (0: valid cells only), nhwc.
   */
  public long[] poolArgs() {
    return new long[] {kH, kW, sH, sW, 0, 0, dH, dW, same ? 1 : 0, 0, nchw ? 0 : 1};
  }
}
