package io.anygraph.spark.exec;

import org.apache.spark.SparkEnv;
import scala.reflect.ClassTag$;

/**
 * Where the time of Spark steps goes, summed over steps: compute (the slowest task's worker stage,
 * plus the driver stage), serialization (broadcasting the variables, the slowest task's
 * deserialization, and Kryo for the step's aggregated result, measured on the driver for the first
 * step), and scheduling, the rest of the job's wall time.
 */
public final class StepTimes {
  private long steps;
  private long wallNanos;
  private long computeNanos;
  private long serializationNanos;
  private long ringNanos;

  synchronized void broadcast(long nanos) {
    serializationNanos += nanos;
    wallNanos += nanos;
  }

  synchronized void worker(long wall, long maxCompute, long maxDeserialize, long resultKryo) {
    steps++;
    wallNanos += wall;
    computeNanos += maxCompute;
    serializationNanos += maxDeserialize + resultKryo;
  }

  synchronized void driver(long nanos) {
    wallNanos += nanos;
    computeNanos += nanos;
  }

  /**
   * A group of {@code n} steps run as one job ({@link GroupJob}): compute and the ring's time are
   * sums over the steps of the slowest task's (per step, the task whose compute took longest); the
   * ring's time stays inside scheduling (the rest of the wall time), as for separate ring steps,
   * and is also kept apart ({@link #ringMillis}).
   */
  synchronized void group(long n, long wall, long compute, long serialization, long ring) {
    steps += n;
    wallNanos += wall;
    computeNanos += compute;
    serializationNanos += serialization;
    ringNanos += ring;
  }

  /** Time to write one result with the job's serializer. */
  static <T> long kryoNanos(T r, Class<T> type) {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return 0;
    }
    long start = System.nanoTime();
    env.serializer().newInstance().serialize(r, ClassTag$.MODULE$.apply(type));
    return System.nanoTime() - start;
  }

  /**
   * Mean milliseconds per step the slowest task spent in the ring all-reduce of grouped steps (part
   * of scheduling); 0 where not measured (separate steps).
   */
  public synchronized double ringMillis() {
    return ringNanos / 1e6 / Math.max(1, steps);
  }

  public synchronized long steps() {
    return steps;
  }

  /** Mean milliseconds per step: wall, compute, serialization, scheduling. */
  public synchronized double[] perStepMillis() {
    double n = Math.max(1, steps);
    double wall = wallNanos / 1e6 / n;
    double compute = computeNanos / 1e6 / n;
    double ser = serializationNanos / 1e6 / n;
    return new double[] {wall, compute, ser, Math.max(0, wall - compute - ser)};
  }

  public synchronized void reset() {
    steps = 0;
    wallNanos = 0;
    computeNanos = 0;
    serializationNanos = 0;
    ringNanos = 0;
  }
}
