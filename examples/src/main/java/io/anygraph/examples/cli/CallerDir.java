package io.anygraph.examples.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The folder the user ran {@code bin/anygraph} in. The launcher starts Java in the repository root
 * (where the shipped data is found), so it passes the caller's folder as the system property
 * {@value #PROPERTY}; relative paths in options are resolved against it.
 */
public final class CallerDir {
  /** System property with the caller's working folder; absent: the JVM's working folder. */
  public static final String PROPERTY = "anygraph.cwd";

  private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");

  private CallerDir() {}

  /** The caller's folder. */
  public static Path dir() {
    String cwd = System.getProperty(PROPERTY);
    return Path.of(cwd != null && !cwd.isEmpty() ? cwd : System.getProperty("user.dir"));
  }

  /**
   * Whether {@code location} is a URI ({@code hdfs://nn/x}, {@code file:/x}) rather than a path.
   */
  public static boolean isUri(String location) {
    return URI.matcher(location).matches();
  }

  /** An absolute path for a relative one; absolute paths, URIs and null unchanged. */
  public static String resolve(String location) {
    if (location == null || isUri(location)) {
      return location;
    }
    return dir().resolve(location).normalize().toString();
  }
}
