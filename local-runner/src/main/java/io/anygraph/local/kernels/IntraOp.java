package io.anygraph.local.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs the independent blocks of one kernel on the calling thread and a few helper threads, each
 * block claimed by whichever thread comes first (as TensorFlow's intra-op pool does). A helper the
 * OS has not scheduled yet claims nothing, so on a busy machine the caller does the work itself
 * instead of waiting at a barrier for a thread that is not running, which is what a statically
 * split OpenMP or OpenBLAS team does (measured: the MLP step 10× slower than TensorFlow's at load
 * 10 on 2 cores). The split depends only on the work's shape, never on who runs a block, so results
 * are the same bits however the blocks land.
 *
 * <p>{@code -Danygraph.intraOpThreads=N} sets the threads (the caller included; the processors by
 * default; 1 runs every block on the caller and leaves OpenBLAS its own threads, as before).
 */
public final class IntraOp {
  /** Threads that may work on one kernel's blocks, the caller included, at most. */
  private static final int MAX_THREADS =
      Math.max(
          1,
          Integer.getInteger(
              "anygraph.intraOpThreads", Runtime.getRuntime().availableProcessors()));

  /** Threads that work on one kernel's blocks now ({@link #limit}). */
  private static volatile int threads = MAX_THREADS;

  private static final ExecutorService HELPERS =
      MAX_THREADS == 1
          ? null
          : Executors.newFixedThreadPool(
              MAX_THREADS - 1,
              r -> {
                Thread t = new Thread(r, "anygraph-intra-op");
                t.setDaemon(true);
                return t;
              });

  /** How deeply this thread is nested in {@link #run}'s blocks. */
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /** How long the caller spins for a helper's last block before it parks (nanoseconds). */
  private static final long SPIN_NANOS = 50_000;

  /**
   * libnd4j's own loops (elementwise ops, reductions): one thread unless {@code
   * -Danygraph.nd4jThreads=N} or {@code OMP_NUM_THREADS} says otherwise. Its OpenMP team splits
   * every op statically between its threads and waits at a barrier for all of them: on 2 cores at
   * load 8–12 the MLP ran 11k samples/s with two threads and 62k with one (TensorFlow: 84k–98k in
   * the same runs); idle, one thread was as fast or faster (MLP 65k against 56–60k, CNN 9.1k
   * against 7.7–9.4k). oneDNN's convolutions and pooling keep OpenMP's threads.
   */
  private static final Integer ND4J_THREADS =
      Integer.getInteger(
          "anygraph.nd4jThreads", System.getenv("OMP_NUM_THREADS") == null ? 1 : null);

  static {
    configure();
  }

  private IntraOp() {}

  /**
   * Sets the native libraries' threads before any kernel runs: OpenBLAS to one thread when GEMMs
   * are split here ({@link Gemm}), libnd4j's loops as {@link #ND4J_THREADS} says.
   */
  static void configure() {
    // the native side first: its start-up sets libnd4j's threads to OpenMP's count, over ours
    NativeOpsHolder.getInstance();
    if (MAX_THREADS > 1) {
      Nd4j.factory().blas().setMaxThreads(1);
    }
    if (ND4J_THREADS != null) {
      Nd4j.getEnvironment().setMaxThreads(Math.max(1, ND4J_THREADS));
      Nd4j.getEnvironment().setMaxMasterThreads(Math.max(1, ND4J_THREADS));
    }
  }

  /** The thread settings in words, for the benchmark's and the launcher's reports. */
  static String describe() {
    return "intra-op threads "
        + threads
        + " (GEMM blocks claimed by free threads, OpenBLAS on "
        + Nd4j.factory().blas().getMaxThreads()
        + "), libnd4j loops on "
        + Nd4j.getEnvironment().maxMasterThreads(); // the count its loops use (maxThreads stays)
  }

  /**
   * At most {@code n} threads per kernel from now on (the caller included): a Spark executor keeps
   * each task to its {@code spark.task.cpus}. Never more than at start.
   */
  public static void limit(int n) {
    threads = Math.max(1, Math.min(n, MAX_THREADS));
  }

  /**
   * Whether kernels may use every processor: more than one, and no {@link #limit} below them (a
   * Spark task held to its {@code spark.task.cpus} is not).
   */
  static boolean unrestricted() {
    return MAX_THREADS > 1 && threads == MAX_THREADS;
  }

  /** Threads that work on one kernel's blocks now. */
  static int threads() {
    return threads;
  }

  /**
   * Whether this thread is running a block of {@link #run}: a kernel called from there must not
   * start a team of threads of its own (oneDNN's), which would put more threads than cores to work.
   */
  static boolean inBlock() {
    return DEPTH.get()[0] > 0;
  }

  /** Runs {@code block.accept(i)} for i in [0, blocks), on the caller and the helpers. */
  static void run(int blocks, IntConsumer block) {
    int helpers = Math.min(threads - 1, blocks - 1);
    if (blocks <= 1 || helpers <= 0 || HELPERS == null) {
      int[] depth = DEPTH.get();
      depth[0]++;
      try {
        for (int i = 0; i < blocks; i++) {
          block.accept(i);
        }
      } finally {
        depth[0]--;
      }
      return;
    }
    Work w = new Work(blocks, block, Thread.currentThread());
    for (int h = 0; h < helpers; h++) {
      HELPERS.execute(w::work);
    }
    w.work();
    w.awaitDone();
  }

  /** One call's blocks: a claim counter, a done counter, the first failure. */
  private static final class Work {
    final int blocks;
    final IntConsumer block;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Work(int blocks, IntConsumer block, Thread caller) {
      this.blocks = blocks;
      this.block = block;
      this.caller = caller;
    }

    void work() {
      int[] depth = DEPTH.get();
      depth[0]++;
      try {
        claim();
      } finally {
        depth[0]--;
      }
    }

    private void claim() {
      for (int i = next.getAndIncrement(); i < blocks; i = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            block.accept(i);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          if (done.incrementAndGet() == blocks) {
            LockSupport.unpark(caller);
          }
        }
      }
    }

    void awaitDone() {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (done.get() < blocks) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(this, 1_000_000);
        }
      }
      Throwable t = failure.get();
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
    }
  }
}
