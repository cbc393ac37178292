package io.anygraph.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs one task on several fresh threads at once, for the concurrent-building tests. */
final class Together {
  /** What thread {@code t} does; {@code lineup} lines all the threads up wherever it is awaited. */
  interface Task<R> {
    R run(int t, Lineup lineup) throws Exception;
  }

  /** A barrier that a failing thread ends for all, so the others stop instead of waiting. */
  static final class Lineup {
    private final Phaser phaser;

    private Lineup(int parties) {
      phaser = new Phaser(parties);
    }

    /** Waits until every thread has come here. */
    void await() {
      if (phaser.arriveAndAwaitAdvance() < 0) {
        throw new CancellationException("another thread failed");
      }
    }
  }

  private Together() {}

  /**
   * Runs {@code task} on {@code threads} new threads, all released together, and returns their
   * results in thread order; a failure is rethrown on the calling thread.
   */
  static <R> List<R> run(int threads, Task<R> task) throws Exception {
    Lineup lineup = new Lineup(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  try {
                    lineup.await();
                    return task.run(id, lineup);
                  } catch (Throwable e) {
                    lineup.phaser.forceTermination();
                    throw e;
                  }
                }));
      }
      List<R> results = new ArrayList<>();
      Throwable cause = null;
      for (Future<R> f : futures) {
        try {
          results.add(result(f));
        } catch (Exception | Error e) {
          // A cancelled thread only stopped because another failed: report that one.
          cause = cause == null || cause instanceof CancellationException ? e : cause;
        }
      }
      if (cause instanceof Exception e) {
        throw e;
      } else if (cause != null) {
        throw (Error) cause;
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static <R> R result(Future<R> f) throws Exception {
    try {
      // Not a timing check: only keeps a deadlock from hanging the build.
      return f.get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      } else if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new AssertionError("a thread did not finish", e);
    }
  }
}
