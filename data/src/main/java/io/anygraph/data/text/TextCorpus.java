package io.anygraph.data.text;

import io.anygraph.data.Gunzip;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A text to train a language model on, read whole from a file on any Hadoop file system, gzip'd or
 * not. The project ships one: the King James Version of the Bible (public domain), 4.1 MB of ASCII
 * in 63 distinct characters, one verse a line, from Debian's {@code bible-kjv-text} package (see
 * {@value #SHIPPED}'s README).
 *
 * @param text the characters
 * @param source where they came from, as a command prints it
 */
public record TextCorpus(String text, String source) {
  /** The shipped text, relative to the project root. */
  public static final String SHIPPED = "examples/data/kjv-debian/kjv.txt.gz";

  /** Environment variable naming another text file (any Hadoop URI). */
  public static final String ENV = "ANYGRAPH_TEXT";

  /** Reads the UTF-8 text at {@code location} (a path or URI; gzip'd is detected by content). */
  public static TextCorpus load(String location) throws IOException {
    Path path = new Path(location);
    try (InputStream in = Gunzip.ifGzipped(path.getFileSystem(new Configuration()).open(path))) {
      return new TextCorpus(new String(in.readAllBytes(), StandardCharsets.UTF_8), location);
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(location + ": no such text file");
    }
  }

  /**
   * The text to read by default: {@code $ANYGRAPH_TEXT}, else the shipped one found from the
   * working directory or one of its parents (the project root or a module folder).
   */
  public static String defaultLocation() {
    String env = System.getenv(ENV);
    if (env != null && !env.isEmpty()) {
      return env;
    }
    File dir = new File("").getAbsoluteFile();
    for (File d = dir; d != null; d = d.getParentFile()) {
      File candidate = new File(d, SHIPPED);
      if (candidate.isFile()) {
        return candidate.toURI().toString();
      }
    }
    throw new IllegalStateException(
        "No text found: set "
            + ENV
            + " or run from the project (looked for "
            + SHIPPED
            + " in "
            + dir
            + " and its parents)");
  }
}
