package io.anygraph.core.io;

import io.anygraph.core.AnygraphException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/**
 * What every file parser checks the same way: that the file exists (one line naming it, not a file
 * system's own exception) and that sizes read from a file fit before anything is allocated.
 */
public final class ReadChecks {
  /** The largest byte array a JVM allocates (a few header words below 2^31). */
  public static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  /** libnd4j's limit on rank: a larger rank read from a file must never reach native code. */
  public static final int MAX_RANK = 32;

  private ReadChecks() {}

  /** {@code dir/name} for messages (memory folders' locations already end with a slash). */
  public static String pathOf(Directory dir, String name) {
    String at = dir.location();
    return at.endsWith("/") ? at + name : at + "/" + name;
  }

  /** Opens {@code name}; a missing file is an {@link AnygraphException} "<path>: no such file". */
  public static InputStream open(Directory dir, String name) throws IOException {
    try {
      return dir.open(name);
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw noSuchFile(pathOf(dir, name), e);
    }
  }

  /**
   * The whole of {@code name}: a missing file is "<path>: no such file"; a file that cannot be read
   * (e.g. Hadoop's checksum files caught damage) is one line naming it, the cause chained.
   */
  public static byte[] readAll(Directory dir, String name) {
    try (InputStream in = open(dir, name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AnygraphException(
          pathOf(dir, name) + ": cannot be read, corrupt or unreachable: " + e.getMessage(), e);
    }
  }

  /** The one-line error for a missing file, keeping the file system's exception as the cause. */
  public static AnygraphException noSuchFile(String path, Throwable cause) {
    return new AnygraphException(path + ": no such file", cause);
  }

  /**
   * The product of {@code dims} (all non-negative), or -1 if it exceeds {@code limit}. Zeros count
   * as ones while checking, so {@code [2^40, 2^40, 0]} is refused too: an empty array whose other
   * dimensions overflow would still overflow the strides computed from them.
   */
  public static long elementCount(long[] dims, long limit) {
    long bounded = 1;
    long product = 1;
    for (long d : dims) {
      if (d > 0 && bounded > limit / d) {
        return -1;
      }
      bounded *= Math.max(d, 1);
      product *= d;
    }
    return product;
  }
}
