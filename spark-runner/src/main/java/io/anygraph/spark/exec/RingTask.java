package io.anygraph.spark.exec;

import io.anygraph.spark.exchange.RingLayout;
import io.anygraph.spark.ring.RingAllReduce;
import io.anygraph.spark.ring.RingRendezvous;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.rdd.RDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The barrier side of the ring exchange, run after a worker task in the same Spark task: it listens
 * on its executor's host, learns every task's {@code host:port} from the driver's {@link
 * RingRendezvous} (not {@link BarrierTaskContext#allGather}, which costs a second), joins the ring
 * and all-reduces its all-reduce boundaries. Task 0 returns the sums; every task returns its
 * gathered rows and picked replicas, which the driver merges as under {@code tree}.
 */
final class RingTask extends AbstractFunction1<Iterator<StepResult>, Iterator<StepResult>>
    implements Serializable {
  private final RingLayout layout;
  private final String rendezvous;
  private final int timeoutMillis;

  RingTask(RingLayout layout, String rendezvous, int timeoutMillis) {
    this.layout = layout;
    this.rendezvous = rendezvous;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Iterator<StepResult> apply(Iterator<StepResult> results) {
    StepResult mine = results.next(); // a worker task yields exactly one result
    BarrierTaskContext ctx = BarrierTaskContext.get();
    int rank = ctx.partitionId();
    String executor = ctx.getTaskInfos()[rank].address();
    String host = executor.substring(0, executor.lastIndexOf(':'));
    float[] buffer = layout.flatten(mine.sums);
    try (RingAllReduce ring = RingAllReduce.open(host, timeoutMillis)) {
      ring.connect(
          RingRendezvous.join(rendezvous, rank, ctx.numPartitions(), ring.address(), timeoutMillis),
          rank);
      ring.allReduce(buffer);
    }
    INDArray[] sums = rank == 0 ? layout.unflatten(buffer) : null;
    for (int i = 0; i < mine.sums.length; i++) { // only task 0's copy of the sums goes back
      if (layout.offsets()[i] >= 0) {
        mine.sums[i] = sums == null ? null : sums[i];
      }
    }
    return CollectionConverters.asScala(List.of(mine).iterator());
  }

  /**
   * The ring exchange's combiner: the worker tasks' job run as a barrier stage whose tasks
   * all-reduce their sums, the results collected in task order and merged (only task 0 carries
   * sums, so nothing is summed again on the driver).
   */
  static WorkerJob.Combiner combiner(RingLayout layout, int timeoutMillis) {
    return (tasks, boundaries) -> {
      String host = RingRendezvous.driverHost(tasks.context().getConf());
      try (RingRendezvous meet =
          RingRendezvous.open(host, tasks.getNumPartitions(), timeoutMillis)) {
        RDD<StepResult> ring =
            tasks
                .rdd()
                .barrier()
                .mapPartitions(
                    new RingTask(layout, meet.address(), timeoutMillis),
                    false,
                    ClassTag$.MODULE$.apply(StepResult.class));
        ring.setName("anygraph ring all-reduce (barrier)");
        StepResult all = new StepResult(boundaries);
        for (StepResult r : ring.toJavaRDD().collect()) {
          all.merge(r);
        }
        return all;
      }
    };
  }
}
