package io.anygraph.examples.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory of this JVM at one moment, in MB (2^20 bytes): resident set size (what the OS gives
 * the process: heap, ND4J's native buffers, code) and the parts of it that can be told apart: Java
 * heap used and committed, the native memory ND4J's arrays hold (JavaCPP counts it), the JDK's
 * direct buffers (Spark's and Netty's), and the live threads (each has a stack and, in glibc, may
 * have an allocator arena). What is left of RSS is code, thread stacks and allocator free lists.
 *
 * @param rssMb VmRSS of /proc/self/status; NaN where there is none (not Linux)
 * @param directMb the JDK's direct byte buffers
 */
public record MemoryUse(
    double rssMb, double heapUsedMb, double heapCommittedMb, double directMb, int threads) {
  private static final double MB = 1 << 20;

  /**
   * Memory after a full collection: ND4J frees an array's native buffer only once the GC has found
   * the array unreachable, so without it garbage not yet collected would look like a leak.
   */
  static MemoryUse afterGc() {
    // ND4J's deallocator threads free the buffers the GC found some time later (longer on a busy
    // machine): collect and look again until resident memory stops falling, at most 10 times
    double rss = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 10; i++) {
      System.gc();
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      double now = rssKb() / 1024.0;
      boolean settled = !(now < rss - 1);
      rss = Math.min(rss, now);
      if (settled) {
        break;
      }
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    double direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed() / MB;
      }
    }
    return new MemoryUse(
        rss,
        heap.getUsed() / MB,
        heap.getCommitted() / MB,
        direct,
        ManagementFactory.getThreadMXBean().getThreadCount());
  }

  /** This process's VmRSS in kB, or NaN where /proc/self/status is missing. */
  private static double rssKb() {
    try {
      return vmRssKb(Files.readString(Path.of("/proc/self/status")));
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** The {@code VmRSS: 123456 kB} line of a /proc/PID/status text, in kB; NaN if absent. */
  static double vmRssKb(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Double.parseDouble(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    return Double.NaN;
  }

  /** The figures as JSON fields. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rss_mb", rssMb);
    m.put("heap_used_mb", heapUsedMb);
    m.put("heap_committed_mb", heapCommittedMb);
    m.put("direct_buffers_mb", directMb);
    m.put("threads", threads);
    return m;
  }

  @Override
  public String toString() {
    return String.format(
        "RSS %7.1f MB, heap %6.1f / %6.1f MB used / committed, direct %5.1f MB, %3d threads",
        rssMb, heapUsedMb, heapCommittedMb, directMb, threads);
  }
}
