package io.anygraph.local.state;

import io.anygraph.core.AnygraphException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the two ends of each transfer of one multi-device run meet: {@code send} completes the
 * value under its key, {@code recv} waits for it. When one device fails, {@link #abort} wakes every
 * waiting receiver with that failure, so no device thread is left blocked.
 */
public final class Rendezvous {
  private final Map<String, CompletableFuture<INDArray>> slots = new ConcurrentHashMap<>();
  private volatile Throwable aborted;

  private CompletableFuture<INDArray> slot(String key) {
    CompletableFuture<INDArray> f = slots.computeIfAbsent(key, k -> new CompletableFuture<>());
    Throwable cause = aborted;
    if (cause != null) {
      f.completeExceptionally(cause); // a receiver arriving after the abort must not wait
    }
    return f;
  }

  public void send(String key, INDArray value) {
    if (!slot(key).complete(value) && aborted == null) {
      throw new IllegalStateException("transfer '" + key + "' was sent twice in one run");
    }
  }

  public INDArray recv(String key) {
    try {
      return slot(key).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnygraphException("Interrupted while waiting for transfer '" + key + "'", e);
    } catch (ExecutionException e) {
      throw new AnygraphException(
          "Transfer '"
              + key
              + "' did not arrive: another device failed ("
              + e.getCause().getMessage()
              + ")",
          e.getCause());
    }
  }

  /** Fails every transfer not yet received, now and later in this run. */
  public void abort(Throwable cause) {
    aborted = cause;
    slots.values().forEach(f -> f.completeExceptionally(cause));
  }
}
