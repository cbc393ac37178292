package io.anygraph.core.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.function.Executable;

/** Checks that a parser refuses bad input cheaply, with HotSpot's per-thread allocation counter. */
public final class Allocations {
  /** A parser must refuse a lying size having allocated less than this. */
  public static final long BUDGET = 64L << 20;

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocations() {}

  /** Asserts {@code body} throws {@code type} having allocated less than {@link #BUDGET} bytes. */
  public static <T extends Throwable> T assertThrowsCheaply(Class<T> type, Executable body) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    T e = assertThrows(type, body);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertTrue(
        allocated < BUDGET, allocated + " bytes allocated before failing with: " + e.getMessage());
    return e;
  }
}
