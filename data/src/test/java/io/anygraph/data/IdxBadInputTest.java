package io.anygraph.data;

import static io.anygraph.core.testing.Allocations.assertThrowsCheaply;
import static io.anygraph.data.IdxFiles.IMAGES_MAGIC;
import static io.anygraph.data.IdxFiles.LABELS_MAGIC;
import static io.anygraph.data.IdxFiles.gzip;
import static io.anygraph.data.IdxFiles.idx;
import static io.anygraph.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.FileFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A catalogue of bad IDX files, each read plain (length known: checked before reading) and gzip'd
 * (length unknown: read in pieces): every one must fail with a {@link FileFormatException} naming
 * the file, the field and its value, having allocated < 64 MiB.
 */
class IdxBadInputTest {
  @TempDir Path tmp;

  private static byte[] file(int magic, int[] dims, int values) {
    try {
      return idx(magic, dims, new byte[values]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> catalogue() {
    byte[] good = file(IMAGES_MAGIC, new int[] {2, 2, 3}, 12);
    return Stream.of(
        Arguments.of("empty file", new byte[0], "magic", "(cut off)"),
        Arguments.of("cut inside the magic", Arrays.copyOf(good, 3), "magic", "(cut off)"),
        Arguments.of("text, not IDX", "hello, world".getBytes(), "magic", "0x68656c6c"),
        Arguments.of("float elements", file(0x00000D01, new int[] {1}, 4), "type", "0x0d"),
        Arguments.of("rank 0", file(0x00000800, new int[0], 0), "rank", "0"),
        Arguments.of("cut inside the dimensions", Arrays.copyOf(good, 10), "dims[1]", "(cut off)"),
        Arguments.of("negative dimension", file(LABELS_MAGIC, new int[] {-5}, 0), "dims[0]", "-5"),
        Arguments.of(
            "2^32 values", file(0x00000802, new int[] {65536, 65536}, 0), "dims", "[65536, 65536]"),
        Arguments.of(
            "2^64 values (a long product wraps to 0)",
            file(0x00000804, new int[] {65536, 65536, 65536, 65536}, 0),
            "dims",
            "[65536, 65536, 65536, 65536]"),
        Arguments.of(
            "2^30 values claimed, 5 present",
            file(LABELS_MAGIC, new int[] {1 << 30}, 5),
            "dims",
            "[1073741824]"),
        Arguments.of(
            "2^31-1 records of 7 values",
            file(0x00000802, new int[] {Integer.MAX_VALUE, 7}, 0),
            "dims",
            "[2147483647, 7]"),
        Arguments.of("one value short", Arrays.copyOf(good, good.length - 1), "dims", "[2, 2, 3]"),
        Arguments.of("a trailing byte", Arrays.copyOf(good, good.length + 1), "dims", "[2, 2, 3]"));
  }

  static Stream<Arguments> catalogueBothWays() {
    return catalogue()
        .flatMap(
            a ->
                Stream.of(false, true)
                    .map(
                        zipped -> {
                          Object[] args = Arrays.copyOf(a.get(), 5);
                          args[4] = zipped;
                          return Arguments.of(args);
                        }));
  }

  @ParameterizedTest(name = "{0} (gzip'd: {4})")
  @MethodSource("catalogueBothWays")
  void badFilesNameFileFieldAndValue(
      String name, byte[] content, String field, String value, boolean zipped) throws IOException {
    String uri = write(tmp.resolve(zipped ? "bad.gz" : "bad"), zipped ? gzip(content) : content);
    FileFormatException e =
        assertThrowsCheaply(FileFormatException.class, () -> IdxReader.read(uri));
    assertEquals(uri, e.file());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(uri + ": field '" + field + "' = "), e.getMessage());
    assertTrue(e.getMessage().contains(value), "expected '" + value + "' in: " + e.getMessage());
  }

  /**
   * Every proper prefix of a good file, plain or gzip'd (cutting the gzip stream itself), is
   * refused.
   */
  @ParameterizedTest(name = "cut after {0} bytes")
  @MethodSource("cuts")
  void truncatedAnywhereIsRefused(int length) throws IOException {
    byte[] good = file(IMAGES_MAGIC, new int[] {2, 2, 3}, 12);
    String plain =
        write(tmp.resolve("cut"), Arrays.copyOf(good, Math.min(length, good.length - 1)));
    assertEquals(
        plain, assertThrowsCheaply(FileFormatException.class, () -> IdxReader.read(plain)).file());
    byte[] zipped = gzip(good);
    String gz =
        write(tmp.resolve("cut.gz"), Arrays.copyOf(zipped, Math.min(length, zipped.length - 1)));
    assertEquals(
        gz, assertThrowsCheaply(FileFormatException.class, () -> IdxReader.read(gz)).file());
  }

  static IntStream cuts() throws IOException {
    return IntStream.range(0, gzip(file(IMAGES_MAGIC, new int[] {2, 2, 3}, 12)).length);
  }

  @Test
  void dimsChecksAPlainFilesLengthButCannotAGzippedOnes() throws IOException {
    Configuration conf = new Configuration();
    byte[] lying = file(LABELS_MAGIC, new int[] {1 << 30}, 5);
    String plain = write(tmp.resolve("lying"), lying);
    FileFormatException e =
        assertThrowsCheaply(FileFormatException.class, () -> IdxReader.dims(plain, conf));
    assertTrue(
        e.getMessage().contains("promises 1073741824 values, the file has 5"), e.getMessage());
    String zipped = write(tmp.resolve("lying.gz"), gzip(lying));
    assertArrayEquals(new int[] {1 << 30}, IdxReader.dims(zipped, conf)); // the header alone
    assertThrowsCheaply(FileFormatException.class, () -> IdxReader.read(zipped, conf, 0, 1 << 20));
  }
}
