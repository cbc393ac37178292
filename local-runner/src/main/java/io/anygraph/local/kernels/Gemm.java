package io.anygraph.local.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code out = alpha·op(a)·op(b) + beta·out} for float32/float64 matrices whose rows are contiguous
 * (dense, or row ranges and slices of a dense array).
 *
 * <p>A large float32 product {@code op(a)·op(b)} runs on oneDNN's matmul (libnd4j's {@code matmul}
 * op, where the build has oneDNN) when this kernel may use every processor: its threads share one
 * packing of the operands and reached 260–300 GFLOP/s on the MLP's shapes on 2 cores, against
 * 180–250 for the blocks below (MLP step 0.88–0.90× TensorFlow against 0.72–0.81×, back to back).
 * Its OpenMP team waits at a barrier for a thread the OS has not scheduled, which costs on a busy
 * machine, so a Spark task held to fewer cores ({@link IntraOp#limit}), a product inside another
 * kernel's block ({@link IntraOp#inBlock}) and {@code -Danygraph.gemm=blocks} take the blocks. A
 * product below {@link #CALLER_WORK} stays on the caller's OpenBLAS either way (a bias gradient's
 * [1,128]·[128,256]: 2.5 µs there, 8.7 on oneDNN); one above goes to oneDNN rather than to the
 * blocks, since waking the intra-op helper while oneDNN's team still spins from the last product
 * slowed the MLP's products by a fifth (0.19 ms a step).
 *
 * <p>Everything else: OpenBLAS's GEMM on one thread per block of output rows (or columns, when
 * there are more of those), the blocks spread by {@link IntraOp}. OpenBLAS itself runs on one
 * thread ({@link IntraOp#configure}): its own team splits statically and waits at a barrier for any
 * thread the OS has not scheduled. Each output element is the same dot product whichever thread
 * computes it. Other operands go to ND4J's GEMM.
 */
final class Gemm {
  /**
   * Below this many multiply-adds per block a hand-off costs more than it saves; a smaller product
   * stays on the caller.
   */
  private static final long MIN_BLOCK_WORK = 1 << 17;

  /** Rows (or columns) per block at least: fewer make OpenBLAS's kernels inefficient. */
  private static final long MIN_BLOCK_SPAN = 16;

  /**
   * Below this many multiply-adds a product runs on the caller's OpenBLAS, unsplit: a classifier
   * layer's [128, 256]·[256, 10] or [784, 64]ᵀ·[64, 10] takes 8-10 µs there against 30-45 on
   * oneDNN, whose team costs more to start than the arithmetic (profiles, alternating: MLP step
   * 1.55-1.59 → 1.41-1.50 ms; CNN 5.8-5.9 → 5.3-5.4 ms, its convolution gradients faster too
   * without oneDNN's matmul between them). {@code -Danygraph.gemm.callerWork=N} sets it, to
   * compare.
   */
  private static final long CALLER_WORK = Long.getLong("anygraph.gemm.callerWork", 1 << 20);

  /** {@code -Danygraph.gemm=blocks} keeps every product on the blocks. */
  private static final boolean BLOCKS_ONLY = "blocks".equals(System.getProperty("anygraph.gemm"));

  private Gemm() {}

  /** Whether a product of this many multiply-adds goes to oneDNN's matmul (the class comment). */
  private static boolean onOneDnn(DataType t, double alpha, double beta, long work) {
    return !BLOCKS_ONLY
        && work >= Math.max(MIN_BLOCK_WORK, CALLER_WORK)
        && t == DataType.FLOAT
        && alpha == 1.0
        && beta == 0.0
        && NativeBuild.oneDnn()
        && IntraOp.unrestricted()
        && !IntraOp.inBlock();
  }

  /** Which GEMM runs float32 products now, in words (the launcher's line). */
  static String describe() {
    return onOneDnn(DataType.FLOAT, 1.0, 0.0, Math.max(MIN_BLOCK_WORK, CALLER_WORK))
        ? "large float32 matrix products on oneDNN, others on OpenBLAS"
        : "matrix products on OpenBLAS";
  }

  /** A matrix as BLAS reads it: its buffer, the first element, the distance between rows. */
  private record Operand(INDArray array, long offset, int ld) {
    /** {@code x} as an operand, or null when its rows are not contiguous. */
    static Operand of(INDArray x) {
      if (x.rank() != 2 || x.isEmpty() || (x.size(1) > 1 && x.stride(1) != 1)) {
        return null;
      }
      long ld = x.size(0) > 1 ? x.stride(0) : x.size(1);
      if (ld < x.size(1) || ld > Integer.MAX_VALUE) {
        return null;
      }
      // a view's buffer already starts at its own offset: only the rest is added
      return new Operand(x, x.offset() - x.data().offset(), (int) Math.max(1, ld));
    }

    FloatPointer floats(long at) {
      return new FloatPointer(array.data().addressPointer()).position(offset + at);
    }

    DoublePointer doubles(long at) {
      return new DoublePointer(array.data().addressPointer()).position(offset + at);
    }
  }

  /** {@code out = alpha·op(a)·op(b) + beta·out}; shapes already checked by the caller. */
  static void multiply(
      INDArray a, INDArray b, INDArray out, boolean ta, boolean tb, double alpha, double beta) {
    DataType t = out.dataType();
    Operand oa = Operand.of(a);
    Operand ob = Operand.of(b);
    Operand oc = Operand.of(out);
    if ((t != DataType.FLOAT && t != DataType.DOUBLE)
        || a.dataType() != t
        || b.dataType() != t
        || oa == null
        || ob == null
        || oc == null) {
      Nd4j.gemm(a, b, out, ta, tb, alpha, beta);
      return;
    }
    int m = (int) out.size(0);
    int n = (int) out.size(1);
    int k = (int) a.size(ta ? 0 : 1);
    long work = (long) m * n * k;
    if (onOneDnn(t, alpha, beta, work)) {
      NativeCall.exec(
          "matmul",
          new INDArray[] {a, b},
          new INDArray[] {out},
          new long[] {ta ? 1 : 0, tb ? 1 : 0, 0},
          new double[] {1.0, 0.0},
          new boolean[0]);
      return;
    }
    boolean byRows = m >= n;
    long span = byRows ? m : n;
    int blocks =
        work < CALLER_WORK
            ? 1
            : (int)
                Math.max(
                    1,
                    Math.min(
                        IntraOp.threads(), Math.min(span / MIN_BLOCK_SPAN, work / MIN_BLOCK_WORK)));
    int transA = ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int transB = tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    IntraOp.run(
        blocks,
        i -> {
          int from = (int) (span * i / blocks);
          int size = (int) (span * (i + 1) / blocks) - from;
          // rows from.. of op(a) are rows of a, or (transposed) columns starting at `from`;
          // columns from.. of op(b) are columns of b, or (transposed) rows
          long aAt = !byRows ? 0 : ta ? from : (long) from * oa.ld();
          long bAt = byRows ? 0 : tb ? (long) from * ob.ld() : from;
          long cAt = byRows ? (long) from * oc.ld() : from;
          int rows = byRows ? size : m;
          int cols = byRows ? n : size;
          if (t == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(
                openblas_nolapack.CblasRowMajor,
                transA,
                transB,
                rows,
                cols,
                k,
                (float) alpha,
                oa.floats(aAt),
                oa.ld(),
                ob.floats(bAt),
                ob.ld(),
                (float) beta,
                oc.floats(cAt),
                oc.ld());
          } else {
            openblas_nolapack.cblas_dgemm(
                openblas_nolapack.CblasRowMajor,
                transA,
                transB,
                rows,
                cols,
                k,
                alpha,
                oa.doubles(aAt),
                oa.ld(),
                ob.doubles(bAt),
                ob.ld(),
                beta,
                oc.doubles(cAt),
                oc.ld());
          }
        });
  }
}
