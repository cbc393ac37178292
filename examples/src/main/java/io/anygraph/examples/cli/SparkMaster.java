package io.anygraph.examples.cli;

import io.anygraph.spark.SparkSetup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark master a command will use, checked before Spark starts: Spark's driver retries an
 * unreachable standalone master for over a minute and then fails with a long trace, so the master's
 * port is probed first (a TCP connect, {@value #PROBE_MILLIS} ms per address), and a master that
 * accepts the connection but does not register the application is given {@value
 * #REGISTRATION_SECONDS} s.
 */
public final class SparkMaster {
  static final int PROBE_MILLIS = 5_000;
  // The whole start of the session counts (Spark's own start takes 20-30 s on a loaded 2-core
  // machine, as in CI), yet it stays below Spark's own 3 x 20 s of registration attempts.
  static final int REGISTRATION_SECONDS = 45;

  private SparkMaster() {}

  /**
   * The master Spark will use: spark-submit's ({@code spark.master}) if set, else {@code fallback}.
   */
  public static String effective(String fallback) {
    return new SparkConf().get("spark.master", fallback);
  }

  /**
   * Fails (exit 1) unless some address of a {@code spark://host:port[,host:port]} master accepts a
   * connection; other masters (local, yarn, k8s) are left to Spark.
   */
  public static void checkReachable(String option, String master) {
    if (master == null || !master.startsWith("spark://")) {
      return;
    }
    String last = "no address";
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      int port;
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw CommandFailure.usage(option + " " + master, "needs spark://HOST:PORT");
      }
      try (Socket s = new Socket()) {
        s.connect(
            new InetSocketAddress(hostPort.substring(0, Math.max(colon, 0)), port), PROBE_MILLIS);
        return;
      } catch (IOException e) {
        last = hostPort + " (" + e.getMessage() + ")";
      }
    }
    throw CommandFailure.failed(option + " " + master, "cannot reach the master at " + last);
  }

  /**
   * Starts Spark's session; for a standalone master, gives up after {@value #REGISTRATION_SECONDS}
   * s if the master accepted the connection but has not registered the application (Spark itself
   * retries 3 x 20 s, fixed in its StandaloneAppClient). The abandoned start ends with the JVM.
   */
  public static SparkSession startSession(String option, String master, SparkConf conf) {
    if (master == null || !master.startsWith("spark://")) {
      return SparkSetup.session(conf);
    }
    FutureTask<SparkSession> start = new FutureTask<>(() -> SparkSetup.session(conf));
    Thread t = new Thread(start, "anygraph-spark-start");
    t.setDaemon(true);
    t.start();
    try {
      return start.get(REGISTRATION_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw CommandFailure.failed(
          option + " " + master,
          "the master did not register the"
              + " application within "
              + REGISTRATION_SECONDS
              + " s (is it a Spark master?)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Spark", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  /**
   * The one-line failure for a Spark job that died because a standalone master never registered the
   * application (it accepted the connection, so the probe passed); other failures unchanged.
   */
  public static RuntimeException unregistered(RuntimeException e, String option, String master) {
    if (master != null
        && master.startsWith("spark://")
        && e instanceof IllegalStateException
        && String.valueOf(e.getMessage()).contains("stopped SparkContext")) {
      return CommandFailure.failed(
          option + " " + master,
          "the master did not register the"
              + " application (Spark gave up after 3 attempts of 20 s)",
          e);
    }
    return e;
  }
}
