package io.anygraph.core.io;

import static io.anygraph.core.testing.Allocations.assertThrowsCheaply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.FileFormatException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged and lying packed folders ({@link MemoryDirectory#toBytes}'s format, written here by hand:
 * UTF magic, entry count, then name, length, bytes per entry): each must fail with a {@link
 * FileFormatException} naming the source, the field and its value, cheaply.
 */
class MemoryDirectoryBadInputTest {
  private static final String SOURCE = "shipped graph";

  /**
   * Writes the packed format; {@code entries} alternate name (String) and length (Integer) or
   * bytes.
   */
  private static byte[] packed(String magic, int count, Object... entries) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeUTF(magic);
      out.writeInt(count);
      for (Object e : entries) {
        if (e instanceof String s) {
          out.writeUTF(s);
        } else if (e instanceof Integer n) {
          out.writeInt(n);
        } else {
          out.write((byte[]) e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }

  private static final String MAGIC = "anygraph.memdir/1";

  static Stream<Arguments> catalogue() {
    byte[] good = packed(MAGIC, 1, "a/b.npy", 3, new byte[] {1, 2, 3});
    return Stream.of(
        Arguments.of("foreign bytes", packed("anygraph.other/1", 0), "magic", "anygraph.other/1"),
        Arguments.of("cut inside the magic", Arrays.copyOf(good, 5), "magic", "cut off"),
        Arguments.of("negative count", packed(MAGIC, -1), "count", "-1"),
        Arguments.of(
            "count of 2^31-1 entries in 0 bytes",
            packed(MAGIC, Integer.MAX_VALUE),
            "count",
            "2147483647"),
        Arguments.of(
            "length of 2 GiB with 3 bytes",
            packed(MAGIC, 1, "a", Integer.MAX_VALUE, new byte[3]),
            "entries[0].length",
            "2147483647"),
        Arguments.of("negative length", packed(MAGIC, 1, "a", -7), "entries[0].length", "-7"),
        Arguments.of("empty name", packed(MAGIC, 1, "", 0), "entries[0].name", "''"),
        Arguments.of("absolute name", packed(MAGIC, 1, "/etc/x", 0), "entries[0].name", "'/etc/x'"),
        Arguments.of(
            "empty path segment", packed(MAGIC, 1, "a//b", 0), "entries[0].name", "'a//b'"),
        Arguments.of("name twice", packed(MAGIC, 2, "a", 0, "a", 0), "entries[1].name", "'a'"),
        Arguments.of(
            "a file that is also a folder", packed(MAGIC, 2, "a", 0, "a/b", 0), "entries", "'a'"),
        Arguments.of("more entries than bytes for them", packed(MAGIC, 2, "a", 0), "count", "= 2:"),
        Arguments.of("trailing bytes", concat(good, new byte[2]), "(end)", "2 bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void badBytesNameSourceFieldAndValue(String name, byte[] bytes, String field, String value) {
    FileFormatException e =
        assertThrowsCheaply(
            FileFormatException.class, () -> MemoryDirectory.fromBytes(bytes, SOURCE));
    assertEquals(SOURCE, e.file());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(SOURCE + ": field '" + field + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(value), "expected '" + value + "' in: " + e.getMessage());
  }

  /** Every proper prefix of a real packed folder is refused (cut in a name, a length, or data). */
  @ParameterizedTest(name = "cut after {0} bytes")
  @MethodSource("cuts")
  void truncatedAnywhereIsRefused(int length) {
    byte[] cut = Arrays.copyOf(realFolder(), length);
    assertEquals(
        SOURCE,
        assertThrowsCheaply(FileFormatException.class, () -> MemoryDirectory.fromBytes(cut, SOURCE))
            .file());
  }

  static IntStream cuts() {
    return IntStream.range(0, realFolder().length);
  }

  private static byte[] realFolder() {
    MemoryDirectory dir = new MemoryDirectory();
    try (OutputStream a = dir.create("a.txt");
        OutputStream b = dir.child("sub").create("b.txt")) {
      a.write(new byte[] {1, 2});
      b.write(new byte[] {3});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir.toBytes();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
