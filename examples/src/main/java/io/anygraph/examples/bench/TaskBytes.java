package io.anygraph.examples.bench;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Bytes the tasks moved, summed over finished tasks from Spark's task metrics: shuffle bytes
 * written and read by the executors, and the serialized task results the driver received (under
 * {@code tree} the partial gradient sums {@code treeAggregate} collects). A {@link SparkListener}:
 * its events arrive asynchronously, so {@link #totals} first waits for the listener bus to drain.
 */
final class TaskBytes extends SparkListener {
  private final SparkContext sc;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong results = new AtomicLong();

  private TaskBytes(SparkContext sc) {
    this.sc = sc;
  }

  /** A counter registered with {@code sc}. */
  static TaskBytes listenTo(SparkContext sc) {
    TaskBytes s = new TaskBytes(sc);
    sc.addSparkListener(s);
    return s;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    TaskMetrics m = end.taskMetrics();
    if (m != null) {
      written.addAndGet(m.shuffleWriteMetrics().bytesWritten());
      read.addAndGet(m.shuffleReadMetrics().totalBytesRead());
      results.addAndGet(m.resultSize());
    }
  }

  /** Back to 0, once the events of the tasks so far are counted. */
  void reset() {
    drain();
    written.set(0);
    read.set(0);
    results.set(0);
  }

  /** Bytes since the last {@link #reset}: {@code {shuffle written, shuffle read, task results}}. */
  long[] totals() {
    drain();
    return new long[] {written.get(), read.get(), results.get()};
  }

  private void drain() {
    try {
      sc.listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
  }
}
