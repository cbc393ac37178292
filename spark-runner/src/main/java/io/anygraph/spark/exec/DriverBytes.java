package io.anygraph.spark.exec;

/**
 * What the driver received from the last Spark step's job, in bytes of array data (framing not
 * counted): the aggregated boundary values (the gradients, under {@code tree}) and the slice
 * owners' results (updated parameters, scalar state and fetches, under {@code sharded}).
 */
public final class DriverBytes {
  private long boundaries;
  private long results;

  synchronized void received(long boundaryBytes, long resultBytes) {
    boundaries = boundaryBytes;
    results = resultBytes;
  }

  /** Bytes of aggregated boundary values (gradients) the last step's job sent to the driver. */
  public synchronized long boundaries() {
    return boundaries;
  }

  /** Bytes of slice owners' results (parameters, scalars, fetches) the last step sent. */
  public synchronized long results() {
    return results;
  }
}
