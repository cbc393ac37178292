package io.anygraph.spark.exec;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Shuffle bytes written by the stages that run the worker stage (under {@code sharded}: the
 * reduce-scatter's pieces, not the parameters' all-gather), from Spark's stage metrics.
 */
final class WorkerShuffleBytes extends SparkListener {
  private final SparkContext sc;
  private final AtomicLong written = new AtomicLong();

  private WorkerShuffleBytes(SparkContext sc) {
    this.sc = sc;
  }

  static WorkerShuffleBytes listenTo(SparkContext sc) {
    WorkerShuffleBytes b = new WorkerShuffleBytes(sc);
    sc.addSparkListener(b);
    return b;
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted done) {
    StageInfo s = done.stageInfo();
    boolean worker =
        CollectionConverters.asJava(s.rddInfos()).stream()
            .anyMatch(r -> r.name().startsWith("anygraph worker stage"));
    if (worker && s.taskMetrics() != null) {
      written.addAndGet(s.taskMetrics().shuffleWriteMetrics().bytesWritten());
    }
  }

  void reset() {
    drain();
    written.set(0);
  }

  long total() {
    drain();
    return written.get();
  }

  private void drain() {
    try {
      sc.listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
  }
}
