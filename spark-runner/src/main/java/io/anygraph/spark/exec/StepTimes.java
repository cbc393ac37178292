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

  /** Time to write one step's result with the job's serializer. */
  static long kryoNanos(StepResult r) {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return 0;
    }
    long start = System.nanoTime();
    env.serializer().newInstance().serialize(r, ClassTag$.MODULE$.apply(StepResult.class));
    return System.nanoTime() - start;
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
  }
}
