package io.anygraph.examples.cli;

import io.anygraph.core.AnygraphException;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * The one place where a command's failure becomes what the user sees: a single line {@code anygraph
 * CMD: SUBJECT: PROBLEM} on stderr and exit 2 (usage) or 1 (everything else); with {@code
 * --verbose} the stack trace follows.
 */
public final class Refusals {
  /** What to do when no ND4J backend loads: with -Pcuda, a driver or CUDA library is missing. */
  static final String NO_BACKEND =
      "no backend could be loaded (ND4J's warning above names what is missing; the CUDA build"
          + " needs an NVIDIA driver and the CUDA 11.6 and cuDNN 8.3 libraries, docs/gpu.md);"
          + " use --backend cpu";

  private Refusals() {}

  /**
   * Runs {@code body} and returns its exit status, or reports its failure and returns that one's.
   */
  public static int run(String command, boolean verbose, PrintStream err, Callable<Integer> body) {
    try {
      return body.call();
    } catch (Throwable t) {
      CommandFailure f = describe(t);
      err.println("anygraph " + command + ": " + f.subject() + ": " + f.problem());
      if (verbose) {
        t.printStackTrace(err);
      }
      return f.exitCode();
    }
  }

  /** What a failure means for the user; the innermost failure of our own making wins. */
  static CommandFailure describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CommandFailure f) {
        return f;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AnygraphException) {
        return CommandFailure.failed(c.getClass().getSimpleName(), firstLine(c.getMessage()));
      }
      if (c instanceof Nd4jBackend.NoAvailableBackendException) {
        return CommandFailure.failed("ND4J", NO_BACKEND);
      }
      if (c instanceof NoSuchFileException e) {
        return CommandFailure.failed(e.getFile(), "no such file or folder");
      }
      if (c instanceof FileNotFoundException) {
        return CommandFailure.failed(
            firstLine(c.getMessage()).replace(" (No such file or directory)", ""),
            "no such file or folder");
      }
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return CommandFailure.failed(
        root.getClass().getSimpleName(), firstLine(String.valueOf(root.getMessage())));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
