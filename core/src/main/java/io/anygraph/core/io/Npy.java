package io.anygraph.core.io;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.FileFormatException;
import io.anygraph.core.Layouts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format (version 1.0, little-endian, C order), so NumPy users can read
 * Anygraph's tensors with {@code numpy.load}. bfloat16, which NumPy lacks, is stored as its raw
 * 16-bit patterns ({@code <u2}); the graph or checkpoint manifest records the real dtype.
 *
 * <p>Reading trusts nothing in the file: the magic, version, header length, each header field
 * ({@link NpyHeader}) and the data's length are checked, and a bad one is a {@link
 * FileFormatException} naming the file, the field and its value, before anything the header sizes
 * is allocated.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final String SUPPORTED =
      Arrays.stream(DType.values()).map(Npy::descr).toList().toString();
  private static final int MAX_HEADER = 1 << 20; // NumPy itself refuses headers over 10000 bytes

  private Npy() {}

  static {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalStateException("Npy assumes a little-endian machine");
    }
  }

  /** The NumPy type string of a dtype ({@code <f4} for float32). */
  public static String descr(DType t) {
    return switch (t) {
      case BOOL -> "|b1";
      case INT8 -> "|i1";
      case INT16 -> "<i2";
      case INT32 -> "<i4";
      case INT64 -> "<i8";
      case FLOAT16 -> "<f2";
      case BFLOAT16 -> "<u2";
      case FLOAT32 -> "<f4";
      case FLOAT64 -> "<f8";
    };
  }

  public static void write(INDArray array, OutputStream out) throws IOException {
    DType t = DType.fromNd4j(array.dataType());
    long[] shape = array.shape();
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    if (shape.length > 1) {
      dims.setLength(dims.length() - 2); // (2, 3) but (5,) for one dimension
    } else if (shape.length == 1) {
      dims.setLength(dims.length() - 1);
    }
    String dict =
        "{'descr': '" + descr(t) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64; // NumPy aligns the data to 64 bytes
    String header = dict + " ".repeat(total - unpadded) + "\n";
    out.write(MAGIC);
    out.write(new byte[] {1, 0});
    out.write(new byte[] {(byte) (header.length() & 0xff), (byte) (header.length() >> 8)});
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    out.write(rawBytes(array));
  }

  /** The elements in C order as little-endian bytes. */
  public static byte[] rawBytes(INDArray array) {
    if (array.isEmpty()) {
      return new byte[0]; // an empty array has no buffer
    }
    INDArray c = Layouts.denseRowMajor(array);
    byte[] bytes = new byte[Math.toIntExact(c.length() * c.dataType().width())];
    c.data().asNio().order(ByteOrder.LITTLE_ENDIAN).get(bytes);
    return bytes;
  }

  /**
   * Reads one array from a stream, checking it has {@code dtype} unless that is null. The data is
   * read in pieces, so a header that claims more than the stream holds fails after reading what
   * there is, without allocating the claimed size.
   */
  public static INDArray read(InputStream in, String source, DType dtype) throws IOException {
    return read(in, -1, source, dtype);
  }

  /**
   * Reads one whole {@code .npy} file held in memory; its length is checked against the header
   * first.
   */
  public static INDArray read(byte[] file, String source, DType dtype) {
    try {
      return read(new ByteArrayInputStream(file), file.length, source, dtype);
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory cannot fail", e);
    }
  }

  /** {@code size} is the stream's length in bytes, or -1 if unknown. */
  private static INDArray read(InputStream in, long size, String source, DType dtype)
      throws IOException {
    DataInputStream din = new DataInputStream(in);
    byte[] magic = readExactly(din, MAGIC.length + 2, source, "magic");
    if (!Arrays.equals(Arrays.copyOf(magic, MAGIC.length), MAGIC)) {
      throw new FileFormatException(
          source,
          "magic",
          HexFormat.of().formatHex(magic, 0, MAGIC.length),
          "is not a .npy file (expected 934e554d5059)");
    }
    int major = magic[6];
    int lengthBytes = major == 1 ? 2 : 4;
    if (major < 1 || major > 3) {
      throw new FileFormatException(
          source, "version", major + "." + magic[7], "only .npy versions 1 to 3 exist");
    }
    byte[] len = readExactly(din, lengthBytes, source, "header_len");
    long headerLen =
        ByteBuffer.wrap(Arrays.copyOf(len, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt()
            & 0xffffffffL;
    long prefix = MAGIC.length + 2 + lengthBytes;
    if (headerLen > MAX_HEADER || (size >= 0 && headerLen > size - prefix)) {
      throw new FileFormatException(
          source,
          "header_len",
          headerLen,
          size >= 0
              ? "the file has " + (size - prefix) + " bytes after it"
              : "is more than " + MAX_HEADER + " bytes");
    }
    byte[] headerBytes = din.readNBytes((int) headerLen);
    if (headerBytes.length < headerLen) {
      throw new FileFormatException(
          source,
          "header_len",
          headerLen,
          "the file ends " + headerBytes.length + " bytes into the header (truncated)");
    }
    String text = new String(headerBytes, StandardCharsets.ISO_8859_1);
    NpyHeader header = NpyHeader.parse(text, source);
    DType type = dtypeOf(header.descr(), source);
    if (dtype != null && type != dtype) {
      throw new FileFormatException(
          source,
          "descr",
          "'" + header.descr() + "'",
          "expected " + descr(dtype) + " (" + dtype + ")");
    }
    int width = type.nd4j().width();
    long n = ReadChecks.elementCount(header.shape(), ReadChecks.MAX_ARRAY_BYTES / width);
    if (n < 0) {
      throw new FileFormatException(
          source,
          "shape",
          tuple(header.shape()),
          "more elements of "
              + type
              + " than one array can hold ("
              + ReadChecks.MAX_ARRAY_BYTES
              + " bytes)");
    }
    int dataBytes = (int) (n * width);
    long left = size - prefix - headerLen;
    if (size >= 0 && left != dataBytes) {
      throw dataLength(
          source,
          header,
          type,
          dataBytes,
          left + (left < dataBytes ? " (truncated)" : " (trailing bytes)"));
    }
    byte[] data = din.readNBytes(dataBytes); // in pieces: a lying header costs what the file has
    if (data.length < dataBytes) {
      throw dataLength(source, header, type, dataBytes, data.length + " (truncated)");
    }
    if (din.read() != -1) {
      throw dataLength(source, header, type, dataBytes, "more (trailing bytes)");
    }
    return fromRawBytes(type, header.shape(), header.fortranOrder() ? 'f' : 'c', data);
  }

  private static FileFormatException dataLength(
      String source, NpyHeader header, DType type, long needed, String found) {
    return new FileFormatException(
        source,
        "shape",
        tuple(header.shape()),
        "needs " + needed + " bytes of " + type + " data, the file has " + found);
  }

  /** A shape as NumPy prints it: (2, 3), (5,) or (). */
  static String tuple(long[] shape) {
    String dims = Arrays.toString(shape);
    return "(" + dims.substring(1, dims.length() - 1) + (shape.length == 1 ? ",)" : ")");
  }

  /**
   * A new C-order array of {@code dtype} and {@code shape} holding {@code bytes}, the elements as
   * little-endian values in {@code order} ('c' row-major, 'f' column-major), as {@link #rawBytes}
   * writes them.
   */
  public static INDArray fromRawBytes(DType dtype, long[] shape, char order, byte[] bytes) {
    long n = ReadChecks.elementCount(shape, ReadChecks.MAX_ARRAY_BYTES / dtype.nd4j().width());
    if (n < 0 || n * dtype.nd4j().width() != bytes.length) {
      throw new AnygraphException(
          bytes.length + " bytes cannot hold " + dtype + Arrays.toString(shape));
    }
    if (n == 0) {
      return Nd4j.create(dtype.nd4j(), shape); // empty: no buffer to fill
    }
    INDArray a = Nd4j.create(dtype.nd4j(), shape, order);
    a.data().asNio().order(ByteOrder.LITTLE_ENDIAN).put(bytes);
    return order == 'c' ? a : a.dup('c');
  }

  /** The dtype of a NumPy type string; {@code <u2} is read as bfloat16 (see class comment). */
  private static DType dtypeOf(String descr, String source) {
    for (DType t : DType.values()) {
      if (descr(t).equals(descr)) {
        return t;
      }
    }
    throw new FileFormatException(
        source,
        "descr",
        "'" + descr + "'",
        "is not a supported element type"
            + (descr.startsWith(">") ? " (big-endian)" : "")
            + "; Anygraph reads "
            + SUPPORTED);
  }

  /** The next {@code n} bytes; fewer means the file ends inside {@code field}. */
  private static byte[] readExactly(DataInputStream in, int n, String source, String field)
      throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new FileFormatException(
          source, field, "(" + b.length + " of " + n + " bytes)", "the file is truncated");
    }
    return b;
  }

  /** Serializes to a byte array (for checksums and small files). */
  public static byte[] toBytes(INDArray array) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(array, out);
    } catch (IOException e) {
      throw new AnygraphException("cannot serialize array", e);
    }
    return out.toByteArray();
  }
}
