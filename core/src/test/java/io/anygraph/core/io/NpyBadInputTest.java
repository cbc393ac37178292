package io.anygraph.core.io;

import static io.anygraph.core.testing.Allocations.assertThrowsCheaply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.FileFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A catalogue of damaged and lying {@code .npy} files, each read from memory (length known) and
 * from a stream (length unknown): every one must fail with a {@link FileFormatException} naming the
 * file, the field and its value, having allocated less than 64 MiB.
 */
class NpyBadInputTest {
  private static final String FILE = "bad/x.npy";
  private static final String F4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  private static final byte[] THREE_FLOATS = new byte[12];

  /** A .npy file written by hand: magic, version, little-endian header length, header, data. */
  private static byte[] npy(int major, String dict, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    String header = dict + "\n";
    int n = header.length();
    out.writeBytes(
        major == 1
            ? new byte[] {(byte) n, (byte) (n >> 8)}
            : new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static byte[] npy(String dict, byte[] data) {
    return npy(1, dict, data);
  }

  private static String dict(String descr, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * name, file bytes, the dtype the caller expects (or null), the field and value the error must
   * name.
   */
  static Stream<Arguments> catalogue() {
    byte[] good = npy(F4, THREE_FLOATS);
    byte[] wrongMagic = good.clone();
    wrongMagic[5] = 'X';
    byte[] hugeHeaderLen = npy(2, F4, THREE_FLOATS);
    Arrays.fill(hugeHeaderLen, 8, 12, (byte) 0xff);
    byte[] longHeaderLen = good.clone();
    longHeaderLen[8] = (byte) 0x60; // 0xea60 = 60000 bytes of header claimed
    longHeaderLen[9] = (byte) 0xea;
    String rank33 = "(" + "1, ".repeat(33) + ")";
    return Stream.of(
        Arguments.of("empty file", new byte[0], null, "magic", "0 of 8 bytes"),
        Arguments.of("cut inside the magic", Arrays.copyOf(good, 3), null, "magic", "3 of 8 bytes"),
        Arguments.of("wrong magic", wrongMagic, null, "magic", "934e554d5058"),
        Arguments.of("unknown version", npy(4, F4, THREE_FLOATS), null, "version", "4.0"),
        Arguments.of(
            "cut inside the header length",
            Arrays.copyOf(good, 9),
            null,
            "header_len",
            "1 of 2 bytes"),
        Arguments.of("header length past the end", longHeaderLen, null, "header_len", "60000"),
        Arguments.of("4 GiB header length", hugeHeaderLen, null, "header_len", "4294967295"),
        Arguments.of("header is not a dict", npy("hello", THREE_FLOATS), null, "header", "hello"),
        Arguments.of(
            "header text after the dict's end",
            npy("{'descr': '<f4', 'shape': (3,), 'fortran_order': False junk}", THREE_FLOATS),
            null,
            "header",
            "junk"),
        Arguments.of(
            "no shape",
            npy("{'descr': '<f4', 'fortran_order': False, }", THREE_FLOATS),
            null,
            "shape",
            "(missing)"),
        Arguments.of(
            "unknown key",
            npy(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), " + "'extra': True, }",
                THREE_FLOATS),
            null,
            "extra",
            "True"),
        Arguments.of(
            "key twice",
            npy(
                "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, " + "'shape': (3,), }",
                THREE_FLOATS),
            null,
            "descr",
            "'<f8'"),
        Arguments.of(
            "unknown dtype", npy(dict("<f99", "(3,)"), THREE_FLOATS), null, "descr", "'<f99'"),
        Arguments.of(
            "big-endian dtype", npy(dict(">f4", "(3,)"), THREE_FLOATS), null, "descr", "'>f4'"),
        Arguments.of(
            "dtype not a string",
            npy("{'descr': True, 'fortran_order': False, 'shape': (3,), }", THREE_FLOATS),
            null,
            "descr",
            "True"),
        Arguments.of("another dtype than expected", good, DType.FLOAT64, "descr", "'<f4'"),
        Arguments.of(
            "fortran_order not a bool",
            npy("{'descr': '<f4', 'fortran_order': 'maybe', " + "'shape': (3,), }", THREE_FLOATS),
            null,
            "fortran_order",
            "'maybe'"),
        Arguments.of(
            "shape not a tuple",
            npy("{'descr': '<f4', 'fortran_order': False, 'shape': '3', }", THREE_FLOATS),
            null,
            "shape",
            "'3'"),
        Arguments.of(
            "dimension beyond 64 bits",
            npy(dict("<f4", "(99999999999999999999999,)"), THREE_FLOATS),
            null,
            "shape",
            "(99999999999999999999999,)"),
        Arguments.of(
            "negative dimension", npy(dict("<f4", "(-5,)"), THREE_FLOATS), null, "shape", "(-5,)"),
        Arguments.of(
            "dimension not a number",
            npy(dict("<f4", "(3, x)"), THREE_FLOATS),
            null,
            "shape",
            "(3, x)"),
        Arguments.of(
            "product beyond 64 bits",
            npy(dict("<f4", "(4294967296, 4294967296)"), THREE_FLOATS),
            null,
            "shape",
            "(4294967296, 4294967296)"),
        Arguments.of(
            "2^40 elements, 10 bytes of data",
            npy(dict("|i1", "(1099511627776,)"), new byte[10]),
            null,
            "shape",
            "(1099511627776,)"),
        Arguments.of(
            "2^40 elements times zero",
            npy(dict("|i1", "(1099511627776, 1099511627776, 0)"), new byte[0]),
            null,
            "shape",
            "(1099511627776, 1099511627776, 0)"),
        Arguments.of(
            "2e9 bytes claimed, 10 present",
            npy(dict("|i1", "(2000000000,)"), new byte[10]),
            null,
            "shape",
            "(2000000000,)"),
        Arguments.of("rank 33", npy(dict("|i1", rank33), new byte[1]), null, "shape", "1, 1"),
        Arguments.of(
            "data one byte short", Arrays.copyOf(good, good.length - 1), null, "shape", "(3,)"),
        Arguments.of("a trailing byte", concat(good, new byte[1]), null, "shape", "(3,)"));
  }

  static Stream<Arguments> catalogueBothWays() {
    return catalogue()
        .flatMap(
            a ->
                Stream.of(true, false)
                    .map(
                        stream -> {
                          Object[] args = Arrays.copyOf(a.get(), 6);
                          args[5] = stream;
                          return Arguments.of(args);
                        }));
  }

  @ParameterizedTest(name = "{0} (from a stream: {5})")
  @MethodSource("catalogueBothWays")
  void badFilesNameFileFieldAndValue(
      String name, byte[] file, DType expected, String field, String value, boolean stream) {
    FileFormatException e =
        assertThrowsCheaply(FileFormatException.class, () -> read(file, expected, stream));
    assertEquals(FILE, e.file());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(FILE + ": field '" + field + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(value), "expected '" + value + "' in: " + e.getMessage());
  }

  /** Every proper prefix of a good file, cut anywhere (magic, length, header, data), is refused. */
  @ParameterizedTest(name = "cut after {0} bytes")
  @MethodSource("cuts")
  void truncatedAnywhereIsRefused(int length) {
    byte[] good = Npy.toBytes(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}));
    byte[] cut = Arrays.copyOf(good, length);
    for (boolean stream : new boolean[] {true, false}) {
      FileFormatException e =
          assertThrowsCheaply(FileFormatException.class, () -> read(cut, null, stream));
      assertEquals(FILE, e.file());
    }
  }

  static IntStream cuts() {
    int size = Npy.toBytes(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}})).length;
    return IntStream.range(0, size);
  }

  private static void read(byte[] file, DType expected, boolean stream) throws IOException {
    if (stream) {
      Npy.read(new ByteArrayInputStream(file), FILE, expected);
    } else {
      Npy.read(file, FILE, expected);
    }
  }
}
