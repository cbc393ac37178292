package io.anygraph.spark.cost;

import io.anygraph.core.AnygraphException;
import io.anygraph.spark.ring.BarrierSupport;
import io.anygraph.spark.ring.RingAllReduce;
import io.anygraph.spark.ring.RingRendezvous;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Measures a cluster's {@link LinkConstants} with small jobs of {@code tasks} tasks, all within a
 * time limit: an empty job (job latency, best of 3), a job with a shuffle (what a second stage
 * adds), tasks sending {@value #MEGABYTES} MB to the driver and a {@value #MEGABYTES} MB broadcast
 * (the driver's bandwidths), and a ring all-reduce of a few floats and of {@value #MEGABYTES} MB in
 * a barrier stage (hop latency, executor-to-executor bandwidth, and what the barrier job spends
 * beyond a plain job and the two all-reduces; without barrier support, or with one task, the
 * driver's bandwidth stands in and the hop is 0). A job that does not finish in time is cancelled
 * and the error names the executors that answered and those that did not.
 */
public final class Calibration {
  static final int MEGABYTES = 8;
  private static final int BYTES = MEGABYTES << 20;
  private static final String GROUP = "anygraph-calibration";

  private final JavaSparkContext sc;
  private final int tasks;
  private final long deadline;
  private final Set<String> answered = new TreeSet<>();

  private Calibration(JavaSparkContext sc, int tasks, Duration limit) {
    this.sc = sc;
    this.tasks = Math.max(1, tasks);
    this.deadline = System.nanoTime() + limit.toNanos();
  }

  /**
   * The constants of {@code sc}'s cluster for steps of {@code tasks} tasks, within {@code limit}.
   */
  public static LinkConstants measure(JavaSparkContext sc, int tasks, Duration limit) {
    return new Calibration(sc, tasks, limit).run();
  }

  private LinkConstants run() {
    int n = tasks;
    double job = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      // the job thread fills its own list; only a job that finished in time adds to who
      // answered, so a job that completes after the deadline cannot race the error's list
      List<String> ran = new ArrayList<>();
      job =
          Math.min(
              job,
              within(
                  seconds(
                      () -> ran.addAll(sc.parallelize(ids(n), n).map(i -> executor()).collect()))));
      answered.addAll(ran);
    }
    double twoStages = best(2, seconds(() -> sc.parallelize(ids(n), n).repartition(n).count()));
    double toDriver =
        best(2, seconds(() -> sc.parallelize(ids(n), n).map(i -> new byte[BYTES / n]).count()));
    // count() ships nothing back: the collect below does, and its extra time is the bytes'
    double collected =
        best(2, seconds(() -> sc.parallelize(ids(n), n).map(i -> new byte[BYTES / n]).collect()));
    Broadcast<byte[]> data = sc.broadcast(new byte[BYTES]);
    double broadcast =
        best(1, seconds(() -> sc.parallelize(ids(n), n).map(i -> data.value().length).collect()));
    data.destroy();
    double driver = rate(BYTES, collected - toDriver);
    double barrier = 0;
    double hop = 0;
    double peer = driver;
    if (n > 1 && BarrierSupport.whyNot(sc.sc(), n) == null) {
      double[] ring = new double[3];
      for (int i = 0; i < 2; i++) { // the second run: the first also pays for loading classes
        ring = within(this::ringSeconds);
      }
      hop = ring[0] / (2.0 * (n - 1));
      peer = rate(2.0 * (n - 1) / n * BYTES, ring[1] - ring[0]);
      barrier = Math.max(0, ring[2] - ring[1] - ring[0] - job);
    }
    return new LinkConstants(
        job,
        Math.max(0, twoStages - job),
        barrier,
        hop,
        driver,
        rate(BYTES, broadcast - job),
        peer);
  }

  /**
   * The slowest task's ring all-reduce of n floats and of the calibration's bytes, and the job's
   * wall time, in seconds.
   */
  private double[] ringSeconds() {
    int n = tasks;
    int timeout = (int) Math.max(1000, (deadline - System.nanoTime()) / 1_000_000);
    long start = System.nanoTime();
    List<String> times; // text: Kryo ships String[] results without a registration
    try (RingRendezvous meet =
        RingRendezvous.open(RingRendezvous.driverHost(sc.getConf()), n, timeout)) {
      times =
          sc.parallelize(ids(n), n)
              .rdd()
              .barrier()
              .mapPartitions(
                  new RingProbe(meet.address(), timeout),
                  false,
                  ClassTag$.MODULE$.apply(String.class))
              .toJavaRDD()
              .collect();
    }
    double small =
        times.stream().mapToDouble(t -> Double.parseDouble(t.split(" ")[0])).max().orElse(0);
    double large =
        times.stream().mapToDouble(t -> Double.parseDouble(t.split(" ")[1])).max().orElse(0);
    return new double[] {small, large, (System.nanoTime() - start) / 1e9};
  }

  /** A barrier task timing one small and one large all-reduce after joining the ring. */
  private static final class RingProbe
      extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
    private final String rendezvous;
    private final int timeoutMillis;

    RingProbe(String rendezvous, int timeoutMillis) {
      this.rendezvous = rendezvous;
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Iterator<String> apply(Iterator<Integer> in) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      int rank = ctx.partitionId();
      String executor = ctx.getTaskInfos()[rank].address();
      try (RingAllReduce ring =
          RingAllReduce.open(executor.substring(0, executor.lastIndexOf(':')), timeoutMillis)) {
        RingRendezvous.Seat seat =
            new RingRendezvous.Seat(
                ctx.stageAttemptNumber(), rank, ctx.numPartitions(), ring.address());
        ring.connect(
            RingRendezvous.join(rendezvous, seat, timeoutMillis, ctx::isInterrupted), rank);
        ring.allReduce(new float[ctx.numPartitions()]); // warm-up: connections, JIT
        long t0 = System.nanoTime();
        ring.allReduce(new float[ctx.numPartitions()]);
        long t1 = System.nanoTime();
        ring.allReduce(new float[BYTES / Float.BYTES]);
        long t2 = System.nanoTime();
        return CollectionConverters.asScala(
            List.of((t1 - t0) / 1e9 + " " + (t2 - t1) / 1e9).iterator());
      }
    }
  }

  private static List<Integer> ids(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  private static String executor() {
    return SparkEnv.get().blockManager().blockManagerId().hostPort();
  }

  /** Bytes per second, bounded so that timing noise near 0 gives 100 GB/s, not infinity. */
  private static double rate(double bytes, double seconds) {
    return bytes / Math.max(seconds, bytes / 1e11);
  }

  private interface Job {
    void run() throws Exception;
  }

  private static Callable<Double> seconds(Job job) {
    return () -> {
      long start = System.nanoTime();
      job.run();
      return (System.nanoTime() - start) / 1e9;
    };
  }

  /** The shortest of {@code runs} timings, each within the deadline. */
  private double best(int runs, Callable<Double> timing) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      best = Math.min(best, within(timing));
    }
    return best;
  }

  /** {@code work}'s value, or, past the deadline, the job cancelled and an error saying who. */
  private <T> T within(Callable<T> work) {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<T> f =
          pool.submit(
              () -> {
                sc.setJobGroup(GROUP, "anygraph exchange calibration", true);
                try {
                  return work.call();
                } finally {
                  sc.clearJobGroup();
                }
              });
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      sc.cancelJobGroup(GROUP);
      throw new AnygraphException("Exchange calibration did not finish in time: " + who(), e);
    } catch (ExecutionException e) {
      throw new AnygraphException(
          "Exchange calibration failed: " + e.getCause().getMessage() + "; " + who(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnygraphException("Exchange calibration interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Which executors (block manager host:port) ran a calibration task, and which did not. */
  private String who() {
    List<String> silent = new ArrayList<>();
    for (SparkExecutorInfo e : sc.statusTracker().getExecutorInfos()) {
      String at = e.host() + ":" + e.port();
      if (!answered.contains(at)) {
        silent.add(at);
      }
    }
    return "executors that answered " + answered + ", no answer from " + silent;
  }
}
