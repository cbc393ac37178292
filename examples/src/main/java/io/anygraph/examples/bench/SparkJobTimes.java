package io.anygraph.examples.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where a Spark job's time goes, from the scheduler's own event times, per contender of the bench
 * (the jobs carry the contender's name as a local property): from the job's submission to its first
 * task's launch (stage planning, task serialization, launch), the tasks' span (first launch to last
 * finish), and from the last task's end to the job's end (result handling). Means per job.
 */
final class SparkJobTimes extends SparkListener {
  /** The local property that names the contender whose thread submitted a job. */
  static final String CONTENDER = "anygraph.bench.contender";

  /** Sums over one contender's jobs, in milliseconds. */
  private static final class Sums {
    long jobs;
    long tasks;
    double toFirstLaunch;
    double taskSpan;
    double afterLastTask;
    double taskDeserialize;
    double taskResultSerialize;

    /** Means per job: launch delay, task span, tail, task deserialization, result serialization. */
    private double[] perJob() {
      double n = Math.max(1, jobs);
      double t = Math.max(1, tasks);
      return new double[] {
        toFirstLaunch / n,
        taskSpan / n,
        afterLastTask / n,
        taskDeserialize / t,
        taskResultSerialize / t
      };
    }
  }

  private record Job(String contender, long submitted, long[] span) {}

  private final Map<String, Sums> sums = new HashMap<>();
  private final Map<Integer, Job> running = new HashMap<>();
  private final Map<Integer, Integer> stageToJob = new HashMap<>();

  /** Listens on {@code sc}'s bus from now on. */
  static SparkJobTimes attach(JavaSparkContext sc) {
    SparkJobTimes t = new SparkJobTimes();
    sc.sc().addSparkListener(t);
    return t;
  }

  /**
   * A contender's means per job, in ms: submission to first task launch, the tasks' span, last
   * task's end to the job's end; then per task: deserialization, result serialization.
   */
  synchronized double[] perJob(String contender) {
    return of(contender).perJob();
  }

  /** How many of the contender's jobs ended. */
  synchronized long jobs(String contender) {
    return of(contender).jobs;
  }

  /** Forgets what was measured (after a warm-up). */
  synchronized void reset() {
    sums.clear();
  }

  private Sums of(String contender) {
    return sums.computeIfAbsent(contender, k -> new Sums());
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart e) {
    Properties p = e.properties();
    String who = p == null ? null : p.getProperty(CONTENDER);
    if (who == null) {
      return;
    }
    running.put(e.jobId(), new Job(who, e.time(), new long[] {Long.MAX_VALUE, 0}));
    for (Object id : CollectionConverters.asJava(e.stageIds())) {
      stageToJob.put((Integer) id, e.jobId());
    }
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart e) {
    Job j = job(e.stageId());
    if (j != null) {
      j.span()[0] = Math.min(j.span()[0], e.taskInfo().launchTime());
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    Job j = job(e.stageId());
    if (j == null) {
      return;
    }
    j.span()[1] = Math.max(j.span()[1], e.taskInfo().finishTime());
    Sums s = of(j.contender());
    s.tasks++;
    if (e.taskMetrics() != null) {
      s.taskDeserialize += e.taskMetrics().executorDeserializeTime();
      s.taskResultSerialize += e.taskMetrics().resultSerializationTime();
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    Job j = running.remove(e.jobId());
    if (j == null || j.span()[0] == Long.MAX_VALUE) {
      return;
    }
    stageToJob.values().removeIf(id -> id == e.jobId());
    Sums s = of(j.contender());
    s.jobs++;
    s.toFirstLaunch += j.span()[0] - j.submitted();
    s.taskSpan += j.span()[1] - j.span()[0];
    s.afterLastTask += e.time() - j.span()[1];
  }

  private Job job(int stage) {
    Integer id = stageToJob.get(stage);
    return id == null ? null : running.get(id);
  }
}
