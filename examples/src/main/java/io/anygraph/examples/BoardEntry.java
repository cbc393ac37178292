package io.anygraph.examples;

import io.anygraph.board.viewer.BoardCommand;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.Destinations;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code anygraph board}: the viewer of the {@code board} module, with its options declared and
 * checked here like every command's (paths from the caller's folder), then handed to {@link
 * BoardCommand}.
 */
final class BoardEntry {
  static final Options OPTIONS =
      new Options(
              "board",
              "the graph viewer for a logdir of event files (serves 127.0.0.1, or writes one HTML file)")
          .value("--logdir", "DIR", null, "folder of event files (required; a path or Hadoop URI)")
          .value("--port", "PORT", "6006", "port on 127.0.0.1 (0: any free one)")
          .value(
              "--client-timeout",
              "SECONDS",
              "5",
              "drop a client that has not sent its request by then")
          .value("--html", "FILE", null, "write the viewer as one HTML file instead of serving it");

  private BoardEntry() {}

  static int run(OptionValues options, PrintStream out) throws Exception {
    String logdir = options.path("--logdir");
    if (logdir == null) {
      throw CommandFailure.usage("--logdir", "is required (--logdir DIR)");
    }
    if (options.integer("--port", 0) > 65535) {
      throw CommandFailure.usage(
          "--port", "needs a port number (0-65535), not '" + options.string("--port") + "'");
    }
    options.positiveNumber("--client-timeout");
    Destinations.checkExistingFolder("--logdir", logdir);
    String html = options.path("--html");
    Destinations.checkFile("--html", html);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--logdir",
                logdir,
                "--port",
                options.string("--port"),
                "--client-timeout",
                options.string("--client-timeout")));
    if (html != null) {
      args.addAll(List.of("--html", html));
    }
    return BoardCommand.run(args.toArray(String[]::new), out);
  }
}
