package io.anygraph.local.plan;

import io.anygraph.core.AnygraphException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One thread per device: work for {@code cpu:1} always runs on the same thread, and a thread for
 * {@code gpu:N} is bound to CUDA device N (ND4J's affinity manager) before its first task. Threads
 * are daemons, started on first use and stopped by {@link #close()}.
 */
public final class LogicalDevices implements AutoCloseable {
  private final Map<String, ExecutorService> threads = new ConcurrentHashMap<>();

  /** Runs {@code work} on the device's thread. */
  public <T> Future<T> submit(String device, Supplier<T> work) {
    return threads.computeIfAbsent(device, LogicalDevices::start).submit(work::get);
  }

  private static ExecutorService start(String device) {
    ExecutorService e =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "anygraph-" + device);
              t.setDaemon(true);
              return t;
            });
    if (device.startsWith("gpu:")) {
      int n = Integer.parseInt(device.substring(4));
      e.submit(() -> Nd4j.getAffinityManager().unsafeSetDevice(n));
    }
    return e;
  }

  /** How many CUDA devices ND4J's backend offers (0 on the CPU backend). */
  public static int gpuCount() {
    String backend = Nd4j.getBackend().getClass().getSimpleName().toLowerCase();
    return backend.contains("cuda") || backend.contains("cublas")
        ? Nd4j.getAffinityManager().getNumberOfDevices()
        : 0;
  }

  /** Waits for every future; the first failure (by list order) is rethrown after all finish. */
  public static <T> List<T> await(List<Future<T>> futures) {
    RuntimeException first = null;
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      try {
        out.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AnygraphException("Interrupted while waiting for a device", e);
      } catch (ExecutionException e) {
        out.add(null);
        if (first == null) {
          first =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new AnygraphException(e.getCause().getMessage(), e.getCause());
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  @Override
  public void close() {
    threads.values().forEach(ExecutorService::shutdownNow);
    threads.clear();
  }
}
