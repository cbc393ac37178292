package io.anygraph.spark.ring;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * Whether Spark can run a barrier stage of a given number of tasks, asked before any job: Spark
 * itself refuses barrier stages under dynamic allocation, and a barrier stage with more tasks than
 * the cluster's free task slots waits and retries its check (40 times, 15 s apart, by default)
 * before failing, which would look like a hang.
 */
public final class BarrierSupport {
  /** Spark's own key for how long a new application waits for its executors to register. */
  public static final String REGISTRATION_WAIT =
      "spark.scheduler.maxRegisteredResourcesWaitingTime";

  /** Spark's own key for dynamic allocation. */
  public static final String DYNAMIC_ALLOCATION = "spark.dynamicAllocation.enabled";

  private BarrierSupport() {}

  /** Why the configuration rules barrier stages out, or null when it does not. */
  public static String whyNot(SparkConf conf) {
    if (conf.getBoolean(DYNAMIC_ALLOCATION, false)) {
      return "dynamic allocation is on ("
          + DYNAMIC_ALLOCATION
          + "=true): Spark cannot run the ring's barrier stage with it";
    }
    return null;
  }

  /**
   * Why {@code tasks} barrier tasks cannot run at once on {@code sc}, or null when they can. On a
   * cluster, executors register some seconds after the application starts: too few slots are
   * counted again until Spark's own {@value #REGISTRATION_WAIT} (30 s by default) has passed.
   */
  public static String whyNot(SparkContext sc, int tasks) {
    String conf = whyNot(sc.getConf());
    if (conf != null) {
      return conf;
    }
    int slots = slots(sc);
    long deadline =
        System.nanoTime() + sc.getConf().getTimeAsMs(REGISTRATION_WAIT, "30s") * 1_000_000L;
    while (slots < tasks && !sc.isLocal() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      slots = slots(sc);
    }
    if (slots < tasks) {
      return "the ring's barrier stage needs its "
          + tasks
          + " tasks running at once, and the cluster has "
          + slots
          + " task slots (executor cores / spark.task.cpus): use at most "
          + slots
          + " partitions, or more cores";
    }
    return null;
  }

  /** Tasks the cluster can run at once now (Spark's own count for barrier stages). */
  public static int slots(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }
}
