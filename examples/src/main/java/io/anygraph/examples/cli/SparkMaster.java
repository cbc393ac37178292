package io.anygraph.examples.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.apache.spark.SparkConf;

/**
 * The Spark master a command will use, checked before Spark starts: Spark's driver retries an
 * unreachable standalone master for over a minute and then fails with a long trace, so the
 * master's port is probed first (a TCP connect, {@value #PROBE_MILLIS} ms per address).
 */
public final class SparkMaster {
  static final int PROBE_MILLIS = 5_000;

  private SparkMaster() {}

  /** The master Spark will use: spark-submit's ({@code spark.master}) if set, else {@code fallback}. */
  public static String effective(String fallback) {
    return new SparkConf().get("spark.master", fallback);
  }

  /**
   * Fails (exit 1) unless some address of a {@code spark://host:port[,host:port]} master accepts
   * a connection; other masters (local, yarn, k8s) are left to Spark.
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
        s.connect(new InetSocketAddress(hostPort.substring(0, Math.max(colon, 0)), port), PROBE_MILLIS);
        return;
      } catch (IOException e) {
        last = hostPort + " (" + e.getMessage() + ")";
      }
    }
    throw CommandFailure.failed(option + " " + master, "cannot reach the master at " + last);
  }
}
