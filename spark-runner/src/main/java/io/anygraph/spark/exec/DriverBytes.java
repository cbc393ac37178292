package io.anygraph.spark.exec;

/**
 * The driver's array traffic for the last Spark step, in bytes of array data (framing, task
 * closures and Spark's control messages not counted). In: the aggregated boundary values (the
 * gradients, under {@code tree}) and the slice owners' results (scalars and fetches, under {@code
 * sharded}). Out: what the driver shipped for the step: the variables' broadcast when it was
 * renewed, replicated feeds, arrays fed from the driver, and parameter slices cut from the driver's
 * variables (the first sharded step after the driver's variables changed).
 *
 * <pre>{@code
 * sess.run(List.of(train, loss), Map.of());
 * long perStep = runner.driverBytes().received() + runner.driverBytes().sent();
 * }</pre>
 */
public final class DriverBytes {
  private long boundaries;
  private long results;
  private long sent;

  /** A new step: every count back to 0. */
  synchronized void start() {
    boundaries = 0;
    results = 0;
    sent = 0;
  }

  synchronized void received(long boundaryBytes, long resultBytes) {
    boundaries = boundaryBytes;
    results = resultBytes;
  }

  synchronized void sent(long bytes) {
    sent += bytes;
  }

  /**
   * Bytes of aggregated boundary values (gradients) the last step's job sent to the driver: 2 per
   * element of a gradient on a 16-bit {@link io.anygraph.spark.exchange.Wire}.
   */
  public synchronized long boundaries() {
    return boundaries;
  }

  /** Bytes of slice owners' results (scalars, fetches) the last step sent the driver. */
  public synchronized long results() {
    return results;
  }

  /** Everything the driver received for the last step: {@link #boundaries} + {@link #results}. */
  public synchronized long received() {
    return boundaries + results;
  }

  /** Bytes the driver shipped for the last step (broadcasts, feeds, slices cut on the driver). */
  public synchronized long sent() {
    return sent;
  }
}
