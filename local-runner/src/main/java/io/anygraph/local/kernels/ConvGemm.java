package io.anygraph.local.kernels;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import io.anygraph.core.ops.Window;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stride-1 convolution and both its gradients as a few large GEMMs over the whole minibatch, in
 * NHWC, without im2col's copy of every input pixel kh·kw times.
 *
 * <p>The input, zero-padded to [N, Hp, Wp, C], is a matrix X of R = N·Hp·Wp rows of C values.
 * Output pixel (n, r, s) of the padded grid is row t = (n·Hp + r)·Wp + s, and the input it meets at
 * filter tap (i, j) is row t + i·dH·Wp + j·dW: a fixed shift for every pixel. With the row-expanded
 * input E[t] = (X[t], X[t + dW], ..., X[t + (kw-1)·dW]) of kw·C values,
 *
 * <pre>
 *   Y[t]  = Σ_i E[t + i·dH·Wp] · F_i          (F_i: filter row i as a [kw·C, O] matrix)
 *   dF_i  = Σ_t E[t + i·dH·Wp]ᵀ · dY[t]
 *   dE[t + i·dH·Wp] += dY[t] · F_iᵀ,   then   dX[t + j·dW] += dE[t] (columns of tap j)
 * </pre>
 *
 * kh GEMMs each, on contiguous row ranges (plain matrices, no copies). Rows of the padded border
 * are computed and dropped (dY is zero there), about (Hp·Wp)/(OH·OW) extra work. NCHW is converted
 * to NHWC and back; other strides use libnd4j's kernels.
 */
final class ConvGemm {
  /** The shapes of one convolution, for an NHWC input. */
  private record Geometry(
      long n,
      long h,
      long w,
      long c,
      long kh,
      long kw,
      long o,
      long dH,
      long dW,
      long top,
      long left,
      long oh,
      long ow) {
    static Geometry of(long[] nhwc, long[] filter, Window win) {
      long h = nhwc[1];
      long w = nhwc[2];
      return new Geometry(
          nhwc[0],
          h,
          w,
          nhwc[3],
          filter[0],
          filter[1],
          filter[3],
          win.dH(),
          win.dW(),
          Window.padBefore(h, filter[0], 1, win.dH(), win.same()),
          Window.padBefore(w, filter[1], 1, win.dW(), win.same()),
          Window.outSize(h, filter[0], 1, win.dH(), win.same()),
          Window.outSize(w, filter[1], 1, win.dW(), win.same()));
    }

    long hp() {
      return oh + (kh - 1) * dH;
    }

    long wp() {
      return ow + (kw - 1) * dW;
    }

    /** Rows of the padded input. */
    long rows() {
      return n * hp() * wp();
    }

    /** Rows of the row-expanded input E. */
    long expandedRows() {
      return rows() - (kw - 1) * dW;
    }

    /** Output rows computed: every valid output pixel lies below this row. */
    long outputRows() {
      return rows() - (kh - 1) * dH * wp() - (kw - 1) * dW;
    }

    /** First row of E for filter row i. */
    long shift(long i) {
      return i * dH * wp();
    }

    boolean padded() {
      return hp() != h || wp() != w;
    }
  }

  private ConvGemm() {}

  /** Whether this path computes the convolution: stride 1, float32 or float64, no empty axis. */
  static boolean applies(Window w, INDArray input, INDArray filter) {
    DataType t = input.dataType();
    return w.sH() == 1
        && w.sW() == 1
        && (t == DataType.FLOAT || t == DataType.DOUBLE)
        && !input.isEmpty()
        && !filter.isEmpty();
  }

  /** conv2d(x, f) into {@code out}, both in the window's layout. */
  static void forward(KernelContext c, INDArray x, INDArray f, Window w, INDArray out) {
    INDArray xs = nhwc(c, x, w);
    Geometry g = Geometry.of(xs.shape(), f.shape(), w);
    INDArray e = expanded(c, padded(c, xs, g), g);
    INDArray y = c.scratch(x.dataType(), g.rows(), g.o());
    INDArray yRows = rows(y, 0, g.outputRows());
    INDArray taps = filterRows(c, f, g);
    for (long i = 0; i < g.kh(); i++) {
      Gemm.multiply(
          rows(e, g.shift(i), g.outputRows()),
          taps.get(point(i), all(), all()),
          yRows,
          false,
          false,
          1.0,
          i == 0 ? 0.0 : 1.0);
    }
    INDArray valid =
        y.reshape('c', g.n(), g.hp(), g.wp(), g.o())
            .get(all(), interval(0, g.oh()), interval(0, g.ow()), all());
    (w.nchw() ? out.permute(0, 2, 3, 1) : out).assign(valid);
  }

  /**
   * Gradients of conv2d(x, f) for upstream {@code dy}: the filter's into {@code df}, and the
   * input's into {@code dx} unless it is null (nobody reads it).
   */
  static void backward(
      KernelContext c, INDArray x, INDArray f, INDArray dy, Window w, INDArray dx, INDArray df) {
    INDArray xs = nhwc(c, x, w);
    Geometry g = Geometry.of(xs.shape(), f.shape(), w);
    DataType t = x.dataType();
    // dY on the padded output grid, zero outside the valid pixels
    INDArray dyGrid = Buffers.zero(c.scratch(t, g.rows(), g.o()));
    dyGrid
        .reshape('c', g.n(), g.hp(), g.wp(), g.o())
        .get(all(), interval(0, g.oh()), interval(0, g.ow()), all())
        .assign(w.nchw() ? dy.permute(0, 2, 3, 1) : dy);
    INDArray dyRows = rows(dyGrid, 0, g.outputRows());
    INDArray e = expanded(c, padded(c, xs, g), g);
    INDArray dTaps = df.reshape('c', g.kh(), g.kw() * g.c(), g.o());
    for (long i = 0; i < g.kh(); i++) {
      Gemm.multiply(
          rows(e, g.shift(i), g.outputRows()),
          dyRows,
          dTaps.get(point(i), all(), all()),
          true,
          false,
          1.0,
          0.0);
    }
    if (dx == null) {
      return;
    }
    INDArray taps = filterRows(c, f, g);
    INDArray dxGrid = Buffers.zero(c.scratch(t, g.rows(), g.c()));
    INDArray de =
        g.kw() == 1 ? dxGrid : Buffers.zero(c.scratch(t, g.expandedRows(), g.kw() * g.c()));
    for (long i = 0; i < g.kh(); i++) {
      Gemm.multiply(
          dyRows,
          taps.get(point(i), all(), all()),
          rows(de, g.shift(i), g.outputRows()),
          false,
          true,
          1.0,
          1.0);
    }
    if (g.kw() > 1) {
      addTapColumns(c, de, dxGrid, g);
    }
    INDArray inner =
        dxGrid
            .reshape('c', g.n(), g.hp(), g.wp(), g.c())
            .get(
                all(),
                interval(g.top(), g.top() + g.h()),
                interval(g.left(), g.left() + g.w()),
                all());
    (w.nchw() ? dx.permute(0, 2, 3, 1) : dx).assign(inner);
  }

  /** Rows [from, from + count) of a row-major matrix: a plain matrix view, no copy. */
  private static INDArray rows(INDArray m, long from, long count) {
    return m.get(interval(from, from + count), all());
  }

  /** x as a row-major NHWC array (a copy only for NCHW or a view). */
  private static INDArray nhwc(KernelContext c, INDArray x, Window w) {
    return c.dense(w.nchw() ? x.permute(0, 2, 3, 1) : x);
  }

  /** The filter as kh matrices [kw·C, O] (HWIO row-major is exactly that). */
  private static INDArray filterRows(KernelContext c, INDArray f, Geometry g) {
    return c.dense(f).reshape('c', g.kh(), g.kw() * g.c(), g.o());
  }

  /** The zero-padded input as a matrix [R, C]. */
  private static INDArray padded(KernelContext c, INDArray xs, Geometry g) {
    if (!g.padded()) {
      return xs.reshape('c', g.rows(), g.c());
    }
    INDArray p = Buffers.zero(c.scratch(xs.dataType(), g.n(), g.hp(), g.wp(), g.c()));
    p.get(all(), interval(g.top(), g.top() + g.h()), interval(g.left(), g.left() + g.w()), all())
        .assign(xs);
    return p.reshape('c', g.rows(), g.c());
  }

  /** E [R - (kw-1)·dW, kw·C]: row t holds input rows t, t + dW, ... side by side. */
  private static INDArray expanded(KernelContext c, INDArray x, Geometry g) {
    if (g.kw() == 1) {
      return x;
    }
    INDArray e = c.scratch(x.dataType(), g.expandedRows(), g.kw() * g.c());
    INDArray[] taps = new INDArray[(int) g.kw()];
    for (int j = 0; j < taps.length; j++) {
      taps[j] = rows(x, j * g.dW(), g.expandedRows());
    }
    if (g.c() >= WIDE) {
      NativeCall.execInts("concat", taps, new INDArray[] {e}, 1);
    } else {
      for (int j = 0; j < taps.length; j++) {
        e.get(all(), interval(j * g.c(), (j + 1) * g.c())).assign(taps[j]);
      }
    }
    return e;
  }

  /** dX[t + j·dW] += dE[t, columns of tap j], for every tap j of a filter row. */
  private static void addTapColumns(KernelContext c, INDArray de, INDArray dx, Geometry g) {
    int kw = (int) g.kw();
    INDArray[] columns = new INDArray[kw];
    if (g.c() >= WIDE) {
      for (int j = 0; j < kw; j++) {
        columns[j] = c.scratch(de.dataType(), g.expandedRows(), g.c());
      }
      NativeCall.execInts("split", new INDArray[] {de}, columns, kw, 1);
    } else {
      for (int j = 0; j < kw; j++) {
        columns[j] = de.get(all(), interval(j * g.c(), (j + 1) * g.c()));
      }
    }
    for (int j = 0; j < kw; j++) {
      rows(dx, j * g.dW(), g.expandedRows()).addi(columns[j]);
    }
  }

  /**
   * From this many channels on, libnd4j's concat and split (a copy per row) beat strided assigns,
   * which move narrow rows element by element (measured: 0.3 vs 1.5 ms at 8 channels, 4.6 vs 0.2 ms
   * at 1 channel, for the MNIST network's second and first layer).
   */
  private static final long WIDE = 4;
}
