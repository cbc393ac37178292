package io.anygraph.board.viewer;

import io.anygraph.board.events.Logdir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code anygraph board --logdir DIR [--port 6006] [--client-timeout 5] [--html FILE]}: serves the
 * viewer on 127.0.0.1 until stopped, or writes it as one self-contained HTML file. A client that
 * has not sent its whole request within the client timeout (seconds) is dropped.
 */
public final class BoardCommand {
  public static final String USAGE =
      "usage: anygraph board --logdir DIR [--port 6006] [--client-timeout SECONDS] [--html FILE]";

  private BoardCommand() {}

  /** Runs the command; returns the exit status (2 for usage errors and bad logdirs). */
  public static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
    String logdirName = null;
    String html = null;
    int port = 6006;
    ServerLimits limits = ServerLimits.DEFAULT;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!Set.of("--logdir", "--port", "--html", "--client-timeout").contains(name)) {
        return usage("unknown option " + name);
      }
      if (i + 1 == args.length) {
        return usage("option " + name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--logdir" -> logdirName = value;
        case "--html" -> html = value;
        case "--client-timeout" -> {
          double seconds = number(value);
          if (!(seconds > 0 && seconds <= 3600)) {
            return usage(
                "option --client-timeout needs seconds (above 0, at most 3600), not '"
                    + value
                    + "'");
          }
          limits = limits.withClientTimeout(Duration.ofMillis(Math.round(seconds * 1000)));
        }
        default -> {
          try {
            port = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            port = -1;
          }
          if (port < 0 || port > 65535) {
            return usage("option --port needs a port number (0-65535), not '" + value + "'");
          }
        }
      }
    }
    if (logdirName == null) {
      return usage("--logdir DIR is required");
    }
    Logdir logdir;
    try {
      logdir = Logdir.open(logdirName);
    } catch (IOException e) {
      System.err.println("anygraph board: " + e.getMessage());
      return 2;
    }
    if (html != null) {
      BoardPage.write(logdir, Path.of(html));
      out.printf(
          "wrote %s (%d runs from %s); open it in a browser%n",
          html, logdir.runs().size(), logdir.location());
      return 0;
    }
    BoardServer started;
    try {
      started = BoardServer.start(logdir, port, limits);
    } catch (IOException e) {
      System.err.println("anygraph board: " + e.getMessage());
      return 2;
    }
    try (BoardServer server = started) {
      out.printf(
          "Anygraph board for %s at %s (127.0.0.1 only; Ctrl-C stops it)%n",
          logdir.location(), server.url());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }

  private static double number(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static int usage(String problem) {
    System.err.println("anygraph board: " + problem + "\n" + USAGE);
    return 2;
  }
}
