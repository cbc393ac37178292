package io.anygraph.data;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.FileFormatException;
import io.anygraph.core.io.ReadChecks;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads IDX files (LeCun's MNIST format: a magic number naming the element type and rank, the
 * dimensions, then the values, big-endian) of unsigned bytes, through Hadoop's {@link FileSystem}
 * so {@code file://} and {@code hdfs://} both work. Gzip'd files are recognized by their first two
 * bytes, not by their name.
 */
public final class IdxReader {
  /** An IDX file's dimensions and its values in row-major order. */
  public record Idx(int[] dims, byte[] values) {
    public int count() {
      return dims[0];
    }
  }

  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  public static Idx read(String uri) throws IOException {
    return read(uri, new Configuration());
  }

  public static Idx read(String uri, Configuration conf) throws IOException {
    return read(uri, conf, 0, -1);
  }

  /**
   * The dimensions the file's header declares, reading nothing else; for a plain (not gzip'd) file
   * they are checked against its length too.
   */
  public static int[] dims(String uri, Configuration conf) throws IOException {
    return open(
        uri,
        conf,
        (in, size) -> {
          int[] dims = header(uri, new DataInputStream(in));
          IdxSizes sizes = new IdxSizes(uri, dims, 0, dims[0]);
          if (size >= 0) {
            sizes.checkLength(size, true);
          }
          return dims;
        });
  }

  /**
   * Records {@code [from, to)} along the first dimension only (a shard of the examples), so readers
   * in parallel each read their part; {@code dims()[0]} of the result is {@code to - from}. Plain
   * files are sought to the range, gzip'd ones are decompressed up to it. A bad file is a {@link
   * FileFormatException} naming the field (magic, type, rank, dims) and its value, raised before
   * the values are allocated; a missing one "<uri>: no such file".
   */
  public static Idx read(String uri, Configuration conf, int from, int to) throws IOException {
    return open(uri, conf, (in, size) -> parse(uri, in, size, from, to));
  }

  /** Parses a stream of {@code size} bytes (-1 if unknown: gzip'd). */
  private interface Parser<T> {
    T parse(InputStream in, long size) throws IOException;
  }

  private static <T> T open(String uri, Configuration conf, Parser<T> parser) throws IOException {
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    long length;
    InputStream raw;
    try {
      length = fs.getFileStatus(path).getLen();
      raw = fs.open(path);
    } catch (FileNotFoundException e) {
      throw ReadChecks.noSuchFile(uri, e);
    }
    try (InputStream in = new BufferedInputStream(raw)) {
      InputStream body = Gunzip.ifGzipped(in);
      return parser.parse(body, body == in ? length : -1);
    } catch (EOFException | ZipException e) {
      // GZIPInputStream reports a cut-off or corrupt stream without naming the file.
      throw new FileFormatException(uri, "gzip stream", "(cut off or corrupt)", e.getMessage(), e);
    }
  }

  /**
   * Records [from, to) of the file; {@code to = -1} reads to the end and checks nothing follows.
   */
  private static Idx parse(String uri, InputStream in, long size, int from, int to)
      throws IOException {
    DataInputStream data = new DataInputStream(in);
    int[] dims = header(uri, data);
    boolean whole = to < 0;
    int end = whole ? dims[0] : to; // the header has at least one dimension
    if (from < 0 || end < from || end > dims[0]) {
      throw new AnygraphException(
          uri
              + ": records ["
              + from
              + ", "
              + end
              + ") asked of a file of "
              + Arrays.toString(dims));
    }
    IdxSizes sizes = new IdxSizes(uri, dims, from, end);
    if (size >= 0) {
      sizes.checkLength(size, whole); // before allocating anything the header sizes
    }
    try {
      data.skipNBytes(sizes.skipped());
    } catch (EOFException e) {
      throw sizes.endsBeforeRecord(e);
    }
    byte[] values = readValues(data, sizes);
    if (values.length != sizes.part()) {
      throw sizes.truncated(sizes.skipped() + values.length);
    }
    if (whole && data.read() != -1) {
      throw sizes.tooLong("more");
    }
    int[] partDims = dims.clone();
    partDims[0] = end - from;
    return new Idx(partDims, values);
  }

  private static int[] header(String uri, DataInputStream data) throws IOException {
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new FileFormatException(uri, "magic", "(cut off)", "empty or truncated IDX header", e);
    }
    String hex = String.format("0x%08x", magic);
    if ((magic >>> 16) != 0) {
      throw new FileFormatException(
          uri, "magic", hex, "not an IDX file (expected 0x000008NN, NN the rank)");
    }
    if (((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
      throw new FileFormatException(
          uri,
          "type",
          String.format("0x%02x", (magic >>> 8) & 0xff),
          "only unsigned bytes (0x08) are read (magic " + hex + ")");
    }
    if ((magic & 0xff) == 0) {
      throw new FileFormatException(
          uri, "rank", 0, "an IDX file has at least one dimension (magic " + hex + ")");
    }
    int[] dims = new int[magic & 0xff];
    for (int i = 0; i < dims.length; i++) {
      try {
        dims[i] = data.readInt();
      } catch (EOFException e) {
        throw new FileFormatException(
            uri, "dims[" + i + "]", "(cut off)", "truncated IDX header", e);
      }
      if (dims[i] < 0) {
        throw new FileFormatException(uri, "dims[" + i + "]", dims[i], "negative dimension");
      }
    }
    return dims;
  }

  /**
   * Reads the part's values in pieces, so a header that claims more than a gzip stream holds costs
   * only what it holds. A gzip stream cut off mid-way throws EOFException rather than ending, so
   * that case is named here with sizes.
   */
  private static byte[] readValues(InputStream in, IdxSizes sizes) throws IOException {
    try {
      return in.readNBytes(sizes.part());
    } catch (EOFException e) {
      throw new FileFormatException(
          sizes.uri,
          "dims",
          Arrays.toString(sizes.dims),
          "truncated gzip stream:"
              + " the header promises "
              + (sizes.skipped() + sizes.part())
              + " values, the stream is cut off"
              + " before them",
          e);
    }
  }
}
