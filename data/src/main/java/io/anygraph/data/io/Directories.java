package io.anygraph.data.io;

import io.anygraph.core.io.Directory;
import io.anygraph.core.io.LocalDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The folder at a location: a local path or {@code file:} URI is a {@link LocalDirectory} (plain
 * java.nio), anything else ({@code hdfs://}) a {@link HadoopDirectory}. Hadoop's local file system
 * is avoided on purpose: without its native library it forks {@code chmod} for every file and
 * folder it creates (about 40 processes, 1-2 s, per checkpoint of a small model).
 */
public final class Directories {
  private Directories() {}

  /** The folder at {@code location}. */
  public static Directory open(String location) throws IOException {
    if (location.startsWith("file:")) {
      return new LocalDirectory(Path.of(URI.create(location)));
    }
    if (!location.contains("://")) {
      return new LocalDirectory(Path.of(location).toAbsolutePath());
    }
    return HadoopDirectory.of(location);
  }
}
