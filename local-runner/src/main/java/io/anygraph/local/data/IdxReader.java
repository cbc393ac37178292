package io.anygraph.local.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads IDX files (LeCun's MNIST format: a magic number naming the element type and rank, the
 * dimensions, then the values, big-endian) of unsigned bytes, through Hadoop's
 * {@link FileSystem} so {@code file://} and {@code hdfs://} both work. Gzip'd files are
 * recognized by their first two bytes, not by their name.
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

  /** The dimensions the file's header declares, reading nothing else. */
  public static int[] dims(String uri, Configuration conf) throws IOException {
    return open(uri, conf, in -> header(uri, new DataInputStream(in)));
  }

  /**
   * Records {@code [from, to)} along the first dimension only (a shard of the examples), so
   * readers in parallel each read their part; {@code dims()[0]} of the result is {@code to -
   * from}. Plain files are sought to the range, gzip'd ones are decompressed up to it.
   */
  public static Idx read(String uri, Configuration conf, int from, int to) throws IOException {
    return open(uri, conf, in -> parse(uri, in, from, to));
  }

  private interface Parser<T> {
    T parse(InputStream in) throws IOException;
  }

  private static <T> T open(String uri, Configuration conf, Parser<T> parser) throws IOException {
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    try (InputStream raw = new BufferedInputStream(fs.open(path))) {
      return parser.parse(maybeGunzip(raw));
    } catch (EOFException | ZipException e) {
      // GZIPInputStream reports a cut-off or corrupt stream without naming the file.
      throw new IOException(uri + ": truncated or corrupt gzip stream (" + e.getMessage() + ")", e);
    }
  }

  private static InputStream maybeGunzip(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in)) : in;
  }

  /** Records [from, to) of the file; {@code to = -1} reads to the end and checks nothing follows. */
  private static Idx parse(String uri, InputStream in, int from, int to) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int[] dims = header(uri, data);
    boolean whole = to < 0;
    int end = whole ? dims[0] : to; // the header has at least one dimension
    if (from < 0 || end < from || end > dims[0]) {
      throw new IOException(uri + ": records [" + from + ", " + end + ") asked of a file of "
          + Arrays.toString(dims));
    }
    int[] partDims = dims.clone();
    partDims[0] = end - from;
    int recordSize = elementCount(uri, Arrays.copyOfRange(dims, 1, dims.length));
    byte[] values = new byte[elementCount(uri, partDims)];
    try {
      data.skipNBytes((long) from * recordSize);
    } catch (EOFException e) {
      throw new IOException(uri + ": truncated: the file ends before record " + from
          + " of the " + dims[0] + " its header " + Arrays.toString(dims) + " declares", e);
    }
    int read = readValues(uri, data, dims, values);
    if (read != values.length) {
      throw new IOException(uri + ": truncated: the header " + Arrays.toString(dims) + " promises "
          + ((long) from * recordSize + values.length) + " values, the file has "
          + ((long) from * recordSize + read));
    }
    if (whole && data.read() != -1) {
      throw new IOException(uri + ": more data than the header " + Arrays.toString(dims) + " declares");
    }
    return new Idx(partDims, values);
  }

  private static int[] header(String uri, DataInputStream data) throws IOException {
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new IOException(uri + ": empty or truncated IDX header");
    }
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE || (magic & 0xff) == 0) {
      throw new IOException(String.format("%s: not an IDX file of unsigned bytes (magic 0x%08x,"
          + " expected 0x000008NN)", uri, magic));
    }
    int[] dims = new int[magic & 0xff];
    try {
      for (int i = 0; i < dims.length; i++) {
        dims[i] = data.readInt();
        if (dims[i] < 0) {
          throw new IOException(uri + ": negative dimension " + dims[i]);
        }
      }
    } catch (EOFException e) {
      throw new IOException(uri + ": truncated IDX header");
    }
    return dims;
  }

  /**
   * The product of the dimensions, clamped as it grows: a plain long product wraps for a few
   * large dimensions (65536^4 is 0), which would read a huge header as an empty file.
   */
  private static int elementCount(String uri, int[] dims) throws IOException {
    long size = 1;
    for (int d : dims) {
      size = Math.min(size * d, Integer.MAX_VALUE); // both factors below 2^31: no overflow
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException(uri + ": " + Arrays.toString(dims) + " is too large to load");
    }
    return (int) size;
  }

  /**
   * Reads up to {@code values.length} values, returning how many there were. A gzip stream cut
   * off mid-way throws EOFException rather than ending, so that case is named here with sizes.
   */
  private static int readValues(String uri, InputStream in, int[] dims, byte[] values)
      throws IOException {
    int read = 0;
    try {
      for (int r; read < values.length && (r = in.read(values, read, values.length - read)) >= 0; ) {
        read += r;
      }
    } catch (EOFException e) {
      throw new IOException(uri + ": truncated gzip stream: the header " + Arrays.toString(dims)
          + " promises " + values.length + " values, the stream ended after " + read, e);
    }
    return read;
  }
}
