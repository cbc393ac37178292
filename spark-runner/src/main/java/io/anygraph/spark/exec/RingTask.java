package io.anygraph.spark.exec;

import io.anygraph.spark.exchange.RingLayout;
import io.anygraph.spark.ring.RingAllReduce;
import io.anygraph.spark.ring.RingRendezvous;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.rdd.RDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The barrier side of the ring exchange, run after a worker task in the same Spark task: it listens
 * on its executor's host, learns the {@code host:port} of every task of its stage attempt from the
 * driver's {@link RingRendezvous} (not {@link BarrierTaskContext#allGather}, which costs a second),
 * joins the ring and all-reduces its all-reduce boundaries. Task 0 returns the sums; every task
 * returns its gathered rows and picked replicas, keyed by its rank, which the driver merges as
 * under {@code tree}.
 */
final class RingTask
    extends AbstractFunction1<Iterator<StepResult>, Iterator<Tuple2<Integer, StepResult>>>
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
  public Iterator<Tuple2<Integer, StepResult>> apply(Iterator<StepResult> results) {
    StepResult mine = results.next(); // a worker task yields exactly one result
    BarrierTaskContext ctx = BarrierTaskContext.get();
    int rank = ctx.partitionId();
    float[] buffer = layout.flatten(mine.sums);
    try (RingAllReduce ring = join(ctx, rendezvous, timeoutMillis)) {
      ring.allReduce(buffer);
    }
    INDArray[] sums = rank == 0 ? layout.unflatten(buffer) : null;
    for (int i = 0; i < mine.sums.length; i++) { // only task 0's copy of the sums goes back
      if (layout.offsets()[i] >= 0) {
        mine.sums[i] = sums == null ? null : sums[i];
      }
    }
    return CollectionConverters.asScala(List.of(new Tuple2<>(rank, mine)).iterator());
  }

  /**
   * This barrier task's place in the ring: a socket on its executor's host, the addresses of its
   * stage attempt's tasks from the driver's rendezvous (a task Spark kills stops waiting), both
   * neighbours connected. The caller closes it.
   */
  static RingAllReduce join(BarrierTaskContext ctx, String rendezvous, int timeoutMillis) {
    int rank = ctx.partitionId();
    String executor = ctx.getTaskInfos()[rank].address();
    String host = executor.substring(0, executor.lastIndexOf(':'));
    RingAllReduce ring = RingAllReduce.open(host, timeoutMillis);
    try {
      RingRendezvous.Seat seat =
          new RingRendezvous.Seat(
              ctx.stageAttemptNumber(), rank, ctx.numPartitions(), ring.address());
      ring.connect(RingRendezvous.join(rendezvous, seat, timeoutMillis, ctx::isInterrupted), rank);
      return ring;
    } catch (RuntimeException e) {
      ring.close();
      throw e;
    }
  }

  /**
   * A barrier stage's results, one per task keyed by its rank, shuffled to one partition and
   * collected in rank order: the shuffle makes the barrier stage one that Spark reruns as a whole
   * (see {@link #combiner}).
   */
  static <T> List<T> byRank(RDD<Tuple2<Integer, T>> barrierStage, Class<T> type) {
    List<Tuple2<Integer, T>> all =
        new ArrayList<>(
            JavaPairRDD.fromRDD(
                    barrierStage,
                    ClassTag$.MODULE$.apply(Integer.class),
                    ClassTag$.MODULE$.apply(type))
                .partitionBy(new HashPartitioner(1))
                .collect());
    all.sort(Comparator.comparing(Tuple2::_1));
    List<T> out = new ArrayList<>();
    all.forEach(t -> out.add(t._2()));
    return out;
  }

  /** Scala's ClassTag of rank-keyed results (of Tuple2's raw class). */
  @SuppressWarnings("unchecked")
  static <T> ClassTag<Tuple2<Integer, T>> keyed() {
    return (ClassTag<Tuple2<Integer, T>>) (ClassTag<?>) ClassTag$.MODULE$.apply(Tuple2.class);
  }

  /**
   * The ring exchange's combiner: the worker tasks' job run as a barrier stage whose tasks
   * all-reduce their sums, their results keyed by rank, shuffled to one partition, collected and
   * merged in rank order (only task 0 carries sums, so nothing is summed again on the driver).
   *
   * <p>Why the shuffle: it makes the barrier stage a shuffle-map stage, which Spark's DAGScheduler
   * reruns as a whole (a new stage attempt, up to {@code spark.stage.maxConsecutiveAttempts}, 4 by
   * default) when any of its tasks fails or its executor is lost; a barrier <i>result</i> stage is
   * never retried ("Could not recover from a failed barrier ResultStage"). A rerun computes the
   * same bits: the worker stage is a function of the step's variables and rows, and the ring's
   * summation order depends only on the number of tasks.
   */
  static WorkerJob.Combiner combiner(RingLayout layout, int timeoutMillis) {
    return (tasks, boundaries) -> {
      String host = RingRendezvous.driverHost(tasks.context().getConf());
      try (RingRendezvous meet =
          RingRendezvous.open(host, tasks.getNumPartitions(), timeoutMillis)) {
        RDD<Tuple2<Integer, StepResult>> ring =
            tasks
                .rdd()
                .barrier()
                .mapPartitions(new RingTask(layout, meet.address(), timeoutMillis), false, keyed());
        ring.setName("anygraph ring all-reduce (barrier)");
        StepResult all = new StepResult(boundaries);
        for (StepResult r : byRank(ring, StepResult.class)) {
          all.merge(r);
        }
        return all;
      }
    };
  }
}
