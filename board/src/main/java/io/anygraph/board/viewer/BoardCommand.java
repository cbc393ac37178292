package io.anygraph.board.viewer;

import io.anygraph.board.events.Logdir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code anygraph board --logdir DIR [--port 6006] [--html FILE]}: serves the viewer on
 * 127.0.0.1 until stopped, or writes it as one self-contained HTML file.
 */
public final class BoardCommand {
  public static final String USAGE =
      "usage: anygraph board --logdir DIR [--port 6006] [--html FILE]";

  private BoardCommand() {}

  /** Runs the command; returns the exit status (2 for usage errors and bad logdirs). */
  public static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
    String logdirName = null;
    String html = null;
    int port = 6006;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.equals("--logdir") && !name.equals("--port") && !name.equals("--html")) {
        return usage("unknown option " + name);
      }
      if (i + 1 == args.length) {
        return usage("option " + name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--logdir" -> logdirName = value;
        case "--html" -> html = value;
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
      out.printf("wrote %s (%d runs from %s); open it in a browser%n", html, logdir.runs().size(),
          logdir.location());
      return 0;
    }
    BoardServer started;
    try {
      started = BoardServer.start(logdir, port);
    } catch (IOException e) {
      System.err.println("anygraph board: " + e.getMessage());
      return 2;
    }
    try (BoardServer server = started) {
      out.printf("Anygraph board for %s at %s (127.0.0.1 only; Ctrl-C stops it)%n",
          logdir.location(), server.url());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }

  private static int usage(String problem) {
    System.err.println("anygraph board: " + problem + "\n" + USAGE);
    return 2;
  }
}
