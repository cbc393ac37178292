package io.anygraph.local.kernels;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.anygraph.core.ops.Window;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The filter gradient of a float32 convolution alone (its input gradient unread, as for a network's
 * first layer), as one GEMM per chunk of images over an im2col matrix built in Java, the chunks
 * split between the intra-op threads:
 *
 * <pre>
 *   Col[(i, j, c), p] = x[n, y·sH + i·dH - top, x·sW + j·dW - left, c]   (0 in the padding)
 *   dF[(i, j, c), o]  = Σ_p Col[(i, j, c), p] · dY[p, o]                 (p = (n, y, x))
 * </pre>
 *
 * HWIO row-major is exactly the [kh·kw·C, O] matrix, and NHWC dY exactly the [P, O] one, so neither
 * is copied. Each row of Col reads one channel plane of x, so x is first made planar [C, N, H, W]:
 * then, at stride 1, a row is a few contiguous copies per image line. Why: the first MNIST layer's
 * filter gradient (C = 1, 5x5, 8 filters, batch 64) took 3.0 ms on {@link ConvGemm}'s five M = 5
 * GEMMs over a padded copy of dY, and oneDNN's {@code conv2d_bp} computes the input gradient too;
 * here the copy into Col takes ~0.5 ms and the one GEMM (M = 25, N = 8, K = 50,176) ~0.6 ms on one
 * thread, and the second core takes half the images. {@code -Danygraph.im2colFilterGradient=false}
 * turns this path off, to compare.
 */
final class ConvFilterGradient {
  private static final boolean ENABLED =
      !"false".equals(System.getProperty("anygraph.im2colFilterGradient"));

  /**
   * Elements of Col per GEMM (16 MB): images are taken in chunks so that Col stays this small
   * however large the batch. MNIST's first layer at batch 64 (1.25M) is one chunk; chunks of 32k to
   * 512k elements measured no faster.
   */
  static final long CHUNK_ELEMENTS = 1 << 22;

  /**
   * Col elements per lane at least: the images are split into up to {@link #MAX_LANES} lanes, which
   * the intra-op threads take ({@link IntraOp}), each filling its own Col and running its own GEMM
   * ({@link Gemm} does not split one as narrow as [kh·kw·C, O]); the lanes' sums are then added.
   */
  static final long LANE_ELEMENTS = 1 << 18;

  /** Lanes at most: 4 spread evenly over 1, 2 or 4 threads. */
  static final int MAX_LANES = 4;

  private ConvFilterGradient() {}

  /**
   * Whether this path computes the filter gradient: float32, nothing empty, and x's values and one
   * image's Col fit Java arrays (int indices).
   */
  static boolean applies(Window w, INDArray x, INDArray filter) {
    if (!ENABLED || x.dataType() != DataType.FLOAT || x.isEmpty() || filter.isEmpty()) {
      return false;
    }
    int h = w.heightAxis();
    long oh = Window.outSize(x.size(h), filter.size(0), w.sH(), w.dH(), w.same());
    long ow = Window.outSize(x.size(h + 1), filter.size(1), w.sW(), w.dW(), w.same());
    long rowsPerImage = filter.size(0) * filter.size(1) * filter.size(2);
    return oh > 0
        && ow > 0
        && x.length() < Integer.MAX_VALUE - 8
        && rowsPerImage * oh * ow < Integer.MAX_VALUE - 8;
  }

  /** The gradient of conv2d(x, f) in f for upstream {@code dy}, into {@code df} (HWIO). */
  static void compute(KernelContext c, INDArray x, INDArray dy, Window w, INDArray df) {
    // [C, N, H, W] and [N, oh, ow, O] whatever the layout
    INDArray planar = c.dense(w.nchw() ? x.permute(1, 0, 2, 3) : x.permute(3, 0, 1, 2));
    INDArray dyNhwc = c.dense(w.nchw() ? dy.permute(0, 2, 3, 1) : dy);
    Geometry g = Geometry.of(planar.shape(), df.shape(), w);
    float[] xs = new float[(int) planar.length()];
    planar.data().asNioFloat().get(0, xs);
    INDArray dyRows = dyNhwc.reshape('c', g.n * g.pixels, g.o);
    INDArray dfMatrix = df.reshape('c', g.rows, g.o);
    long perImage = g.rows * g.pixels;
    // from the shape alone, so that the sums are added in the same order however many threads run
    int lanes =
        (int) Math.max(1, Math.min(Math.min(g.n, MAX_LANES), g.n * perImage / LANE_ELEMENTS));
    int imagesPerChunk =
        (int) Math.max(1, Math.min((g.n + lanes - 1) / lanes, CHUNK_ELEMENTS / perImage));
    lanes = Math.min(lanes, (g.n + imagesPerChunk - 1) / imagesPerChunk); // none without a chunk
    // chunks alternate between the lanes; each lane sums into its own matrix, taken here (the
    // executor's buffers are not for other threads to take)
    List<List<Chunk>> work = new ArrayList<>();
    INDArray[] sums = new INDArray[lanes];
    for (int lane = 0; lane < lanes; lane++) {
      work.add(new ArrayList<>());
      sums[lane] = lane == 0 ? dfMatrix : c.scratch(DataType.FLOAT, g.rows, g.o);
    }
    for (int n0 = 0, k = 0; n0 < g.n; n0 += imagesPerChunk, k++) {
      int images = Math.min(imagesPerChunk, g.n - n0);
      long columns = (long) images * g.pixels;
      INDArray col = c.scratch(DataType.FLOAT, g.rows, columns);
      INDArray dyPart = dyRows.get(interval(n0 * g.pixels, n0 * g.pixels + columns), all());
      work.get(k % lanes).add(new Chunk(n0, images, col, dyPart));
    }
    IntraOp.run(lanes, lane -> run(xs, g, work.get(lane), sums[lane]));
    for (int lane = 1; lane < lanes; lane++) {
      dfMatrix.addi(sums[lane]);
    }
  }

  /** A chunk of images: its Col buffer and its rows of dY. */
  private record Chunk(int n0, int images, INDArray col, INDArray dy) {}

  /** One lane's chunks, summed into {@code sum}. */
  private static void run(float[] xs, Geometry g, List<Chunk> chunks, INDArray sum) {
    for (int k = 0; k < chunks.size(); k++) {
      Chunk ch = chunks.get(k);
      fill(xs, g, ch.n0(), ch.images(), ch.col().data().asNioFloat());
      Gemm.multiply(ch.col(), ch.dy(), sum, false, false, 1.0, k == 0 ? 0.0 : 1.0);
    }
  }

  /** Col's rows for images [n0, n0 + images), through one reused row array. */
  private static void fill(float[] xs, Geometry g, int n0, int images, FloatBuffer col) {
    int width = images * g.pixels;
    float[] row = new float[width];
    for (int i = 0; i < g.kh; i++) {
      for (int j = 0; j < g.kw; j++) {
        int shiftX = j * g.dW - g.left;
        // output columns whose input column lies inside the image
        int lo = Math.max(0, ceilDiv(-shiftX, g.sW));
        int hi = Math.max(lo, Math.min(g.ow, ceilDiv(g.w - shiftX, g.sW)));
        for (int ch = 0; ch < g.c; ch++) {
          int out = 0;
          for (int n = n0; n < n0 + images; n++) {
            int plane = (ch * g.n + n) * g.h;
            for (int y = 0; y < g.oh; y++, out += g.ow) {
              int iy = y * g.sH + i * g.dH - g.top;
              if (iy < 0 || iy >= g.h) {
                Arrays.fill(row, out, out + g.ow, 0f);
                continue;
              }
              int line = (plane + iy) * g.w + shiftX;
              Arrays.fill(row, out, out + lo, 0f);
              if (g.sW == 1) {
                System.arraycopy(xs, line + lo, row, out + lo, hi - lo);
              } else {
                for (int ox = lo; ox < hi; ox++) {
                  row[out + ox] = xs[line + ox * g.sW];
                }
              }
              Arrays.fill(row, out + hi, out + g.ow, 0f);
            }
          }
          col.put(((i * g.kw + j) * g.c + ch) * width, row);
        }
      }
    }
  }

  /** ⌈a / b⌉ for b > 0 and any sign of a. */
  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  /** The shapes of one convolution, from its planar input [C, N, H, W] and HWIO filter. */
  private record Geometry(
      int n,
      int h,
      int w,
      int c,
      int kh,
      int kw,
      int o,
      int sH,
      int sW,
      int dH,
      int dW,
      int top,
      int left,
      int oh,
      int ow,
      int pixels,
      long rows) {
    static Geometry of(long[] planar, long[] filter, Window win) {
      int h = (int) planar[2];
      int w = (int) planar[3];
      int kh = (int) filter[0];
      int kw = (int) filter[1];
      int oh = (int) Window.outSize(h, kh, win.sH(), win.dH(), win.same());
      int ow = (int) Window.outSize(w, kw, win.sW(), win.dW(), win.same());
      return new Geometry(
          (int) planar[1],
          h,
          w,
          (int) planar[0],
          kh,
          kw,
          (int) filter[3],
          (int) win.sH(),
          (int) win.sW(),
          (int) win.dH(),
          (int) win.dW(),
          (int) Window.padBefore(h, kh, win.sH(), win.dH(), win.same()),
          (int) Window.padBefore(w, kw, win.sW(), win.dW(), win.same()),
          oh,
          ow,
          oh * ow,
          (long) kh * kw * planar[0]);
    }
  }
}
