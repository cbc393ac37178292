package io.anygraph.core.io;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format (version 1.0, little-endian, C order), so NumPy users can read
 * Anygraph's tensors with {@code numpy.load}. bfloat16, which NumPy lacks, is stored as its raw
 * 16-bit patterns ({@code <u2}); the graph or checkpoint manifest records the real dtype.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern HEADER = Pattern.compile(
      "\\{'descr': '([<|>][a-z][0-9])', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), \\}\\s*");
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE;

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
    String dict = "{'descr': '" + descr(t) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
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

  /** Reads one array, checking it has {@code dtype} unless that is null. */
  public static INDArray read(InputStream in, String source, DType dtype) throws IOException {
    DataInputStream din = new DataInputStream(in);
    byte[] magic = new byte[MAGIC.length + 2];
    readFully(din, magic, source);
    if (!Arrays.equals(Arrays.copyOf(magic, MAGIC.length), MAGIC)) {
      throw new AnygraphException(source + " is not a .npy file (bad magic)");
    }
    int major = magic[6];
    int headerLen;
    if (major == 1) {
      headerLen = (din.readUnsignedByte()) | (din.readUnsignedByte() << 8);
    } else if (major == 2 || major == 3) {
      headerLen = Integer.reverseBytes(din.readInt());
    } else {
      throw new AnygraphException(source + ": unsupported .npy version " + major);
    }
    if (headerLen < 0 || headerLen > 1 << 20) {
      throw new AnygraphException(source + ": implausible .npy header length " + headerLen);
    }
    byte[] headerBytes = new byte[headerLen];
    readFully(din, headerBytes, source);
    String header = new String(headerBytes, StandardCharsets.US_ASCII);
    Matcher m = HEADER.matcher(header);
    if (!m.matches()) {
      throw new AnygraphException(source + ": unsupported .npy header " + header.trim());
    }
    DType type = dtypeOf(m.group(1), source);
    if (dtype != null && type != dtype) {
      throw new AnygraphException(source + ": stored type " + m.group(1) + " is not " + dtype);
    }
    long[] shape = parseShape(m.group(3), source);
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    if (n > MAX_ELEMENTS) {
      throw new AnygraphException(source + ": " + n + " elements is more than one array can hold");
    }
    byte[] data = new byte[Math.toIntExact(n * type.nd4j().width())];
    readFully(din, data, source);
    if (din.read() != -1) {
      throw new AnygraphException(source + ": trailing bytes after the array data");
    }
    boolean fortran = m.group(2).equals("True");
    return fromRawBytes(type, shape, fortran ? 'f' : 'c', data);
  }

  /**
   * A new C-order array of {@code dtype} and {@code shape} holding {@code bytes}, the elements as
   * little-endian values in {@code order} ('c' row-major, 'f' column-major), as {@link #rawBytes}
   * writes them.
   */
  public static INDArray fromRawBytes(DType dtype, long[] shape, char order, byte[] bytes) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    if (n * dtype.nd4j().width() != bytes.length) {
      throw new AnygraphException(bytes.length + " bytes cannot hold " + dtype + Arrays.toString(shape));
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
    throw new AnygraphException(source + ": unsupported .npy element type " + descr
        + (descr.startsWith(">") ? " (big-endian)" : ""));
  }

  private static long[] parseShape(String s, String source) {
    String[] parts = s.replace(" ", "").split(",");
    return Arrays.stream(parts).filter(p -> !p.isEmpty()).mapToLong(p -> {
      long d = Long.parseLong(p);
      if (d < 0) {
        throw new AnygraphException(source + ": negative dimension in shape (" + s + ")");
      }
      return d;
    }).toArray();
  }

  private static void readFully(DataInputStream in, byte[] b, String source) throws IOException {
    try {
      in.readFully(b);
    } catch (EOFException e) {
      throw new AnygraphException(source + " is truncated", e);
    }
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
