package io.anygraph.local.kernels;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense float32 array read as [outer, inner] summed over its rows into [inner] (a bias's
 * gradient: over the batch, or batch, height and width), as Java loops ({@link FloatChunks}): 6 µs
 * for the MLP's [128, 256] against 14 in a step (89 alone) for a product with a vector of ones (the
 * ones filled, the views made, the GEMM called).
 *
 * <p>The rows of a chunk are added onto as many rows of partial sums, one index for all (so the
 * loop is vectorized), and those folded in order at the end. The rows are cut into blocks by size
 * alone, not by the number of threads, and the blocks' sums added in block order: the same bits on
 * one thread or two. Each addition is rounded to float, as in libnd4j's and TensorFlow's float
 * reductions; the order differs from theirs, the error does not grow faster.
 */
final class ColumnSums {
  /** Elements per block at least: below that a hand-off costs about what it saves. */
  private static final long MIN_BLOCK = 1 << 16;

  private static final int MAX_BLOCKS = 16;

  /**
   * Above this many elements the product with ones, on every thread with one packing, is faster (4M
   * floats: 0.38 ms there, 0.55 here; 400k: 0.26 there, 0.05 here).
   */
  static final long MAX_ELEMENTS = 1 << 21;

  private ColumnSums() {}

  /** {@code out = x summed over its rows}, x dense float32 [outer, inner]; answers whether. */
  static boolean tryRun(INDArray x, long outer, long inner, INDArray out) {
    if (x.length() > MAX_ELEMENTS
        || !FloatChunks.dense(x)
        || !FloatChunks.dense(out)
        || outer < 1
        || inner < 1
        || outer * inner != x.length()
        || out.length() != inner) {
      return false;
    }
    int rows = (int) outer;
    int width = (int) inner;
    int blocks = (int) Math.max(1, Math.min(Math.min(MAX_BLOCKS, x.length() / MIN_BLOCK), rows));
    float[][] partial = new float[blocks][width];
    FloatBuffer xs = FloatChunks.floats(x);
    IntraOp.run(
        blocks,
        b -> {
          int from = (int) ((long) rows * b / blocks);
          int to = (int) ((long) rows * (b + 1) / blocks);
          if (width <= FloatChunks.CHUNK) {
            narrow(xs, width, from, to, partial[b]);
          } else {
            wide(xs, width, from, to, partial[b]);
          }
        });
    float[] sum = partial[0];
    for (int b = 1; b < blocks; b++) {
      for (int j = 0; j < width; j++) {
        sum[j] += partial[b][j];
      }
    }
    FloatChunks.floats(out).put(0, sum, 0, width);
    return true;
  }

  /** Rows of at most a chunk: a chunk's rows onto as many rows of sums, folded at the end. */
  private static void narrow(FloatBuffer xs, int width, int from, int to, float[] into) {
    FloatChunks.Scratch s = FloatChunks.scratch();
    int per = FloatChunks.CHUNK / width;
    float[] acc = s.z;
    float[] chunk = s.x;
    Arrays.fill(acc, 0, per * width, 0f);
    for (int r = from; r < to; r += per) {
      int len = Math.min(per, to - r) * width;
      xs.get(r * width, chunk, 0, len);
      for (int i = 0; i < len; i++) {
        acc[i] += chunk[i];
      }
    }
    System.arraycopy(acc, 0, into, 0, width);
    for (int q = 1; q < per; q++) {
      for (int j = 0; j < width; j++) {
        into[j] += acc[q * width + j];
      }
    }
  }

  /** Rows longer than a chunk: a chunk-wide band of columns at a time, down the rows. */
  private static void wide(FloatBuffer xs, int width, int from, int to, float[] into) {
    FloatChunks.Scratch s = FloatChunks.scratch();
    float[] acc = s.z;
    float[] chunk = s.x;
    for (int j = 0; j < width; j += FloatChunks.CHUNK) {
      int len = Math.min(FloatChunks.CHUNK, width - j);
      Arrays.fill(acc, 0, len, 0f);
      for (int r = from; r < to; r++) {
        xs.get(r * width + j, chunk, 0, len);
        for (int i = 0; i < len; i++) {
          acc[i] += chunk[i];
        }
      }
      System.arraycopy(acc, 0, into, j, len);
    }
  }
}
