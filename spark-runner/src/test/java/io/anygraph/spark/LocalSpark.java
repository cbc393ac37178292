package io.anygraph.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One embedded {@code local[2]} Spark session for all tests of this JVM (starting one takes
 * seconds), configured by {@link SparkSetup} as jobs are (so bound to 127.0.0.1), without a web UI.
 */
public final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  public static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session =
          SparkSetup.session(
              SparkSetup.conf("anygraph-tests")
                  .setMaster("local[2]")
                  .set("spark.ui.enabled", "false")
                  .set("spark.sql.shuffle.partitions", "2"));
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  /**
   * Stops the shared session (a JVM has one Spark context at a time), so a test can start its own;
   * the next {@link #session()} starts a new shared one.
   */
  public static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  public static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }
}
