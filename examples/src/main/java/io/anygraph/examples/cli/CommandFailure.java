package io.anygraph.examples.cli;

/**
 * Why a command refuses to go on, as one line for the user: {@code anygraph CMD: SUBJECT: PROBLEM},
 * where the subject is the option or file at fault. Usage errors (a bad or misplaced option) exit
 * with 2, problems with data, files or the cluster with 1.
 *
 * <pre>{@code
 * throw CommandFailure.usage("--lr", "needs a finite number above 0, not 'NaN'");
 * }</pre>
 */
public final class CommandFailure extends IllegalArgumentException {
  /** Exit status of a usage error. */
  public static final int USAGE = 2;

  /** Exit status of a data, file or runtime problem. */
  public static final int FAILED = 1;

  private final int exitCode;
  private final String subject;
  private final String problem;

  private CommandFailure(int exitCode, String subject, String problem, Throwable cause) {
    super(subject + ": " + problem, cause);
    this.exitCode = exitCode;
    this.subject = subject;
    this.problem = problem;
  }

  /** A bad, unknown or inapplicable option (exit 2). */
  public static CommandFailure usage(String subject, String problem) {
    return new CommandFailure(USAGE, subject, problem, null);
  }

  /** A file, data or runtime problem (exit 1). */
  public static CommandFailure failed(String subject, String problem) {
    return new CommandFailure(FAILED, subject, problem, null);
  }

  /**
   * A file, data or runtime problem caused by {@code cause} (exit 1; --verbose shows the cause).
   */
  public static CommandFailure failed(String subject, String problem, Throwable cause) {
    return new CommandFailure(FAILED, subject, problem, cause);
  }

  public int exitCode() {
    return exitCode;
  }

  public String subject() {
    return subject;
  }

  public String problem() {
    return problem;
  }
}
