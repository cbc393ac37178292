package io.anygraph.data;

import static io.anygraph.data.IdxFiles.IMAGES_MAGIC;
import static io.anygraph.data.IdxFiles.LABELS_MAGIC;
import static io.anygraph.data.IdxFiles.gzip;
import static io.anygraph.data.IdxFiles.idx;
import static io.anygraph.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.FileFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX headers, sizes and errors, on the shipped files (figures from Python's gzip and struct
 * modules reading the same files) and on small hand-made ones.
 */
class IdxReaderTest {
  @TempDir Path tmp;

  private static final byte[] FIVE = {3, 1, 4, 1, 5};

  private static IdxReader.Idx shipped(String name) throws IOException {
    return IdxReader.read(Mnist.defaultDir() + name);
  }

  /** Fails unless the message has every one of {@code parts}, showing it when it does not. */
  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains(p),
          "expected '" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void shippedHeadersAndCounts() throws IOException {
    IdxReader.Idx trainLabels = shipped("train-labels-idx1-ubyte.gz");
    assertArrayEquals(new int[] {8000}, trainLabels.dims());
    assertArrayEquals(
        new byte[] {1, 6, 9, 1, 1, 1, 4, 5, 5, 6}, Arrays.copyOf(trainLabels.values(), 10));
    IdxReader.Idx testLabels = shipped("t10k-labels-idx1-ubyte.gz");
    assertArrayEquals(new int[] {2000}, testLabels.dims());
    assertArrayEquals(
        new byte[] {7, 4, 3, 5, 6, 5, 8, 5, 9, 1}, Arrays.copyOf(testLabels.values(), 10));

    IdxReader.Idx train = shipped("train-images-idx3-ubyte.gz");
    assertArrayEquals(new int[] {8000, 28, 28}, train.dims());
    assertEquals(8000, train.count());
    assertEquals(8000 * 784, train.values().length);
    int[] row14 = new int[7];
    for (int i = 0; i < 7; i++) {
      row14[i] = train.values()[14 * 28 + 11 + i] & 0xff;
    }
    assertArrayEquals(new int[] {0, 51, 222, 253, 253, 253, 65}, row14);
    assertEquals(20237, pixelSum(train, 0));
    assertEquals(13779, pixelSum(train, 4321));
    IdxReader.Idx test = shipped("t10k-images-idx3-ubyte.gz");
    assertArrayEquals(new int[] {2000, 28, 28}, test.dims());
    assertEquals(16731, pixelSum(test, 0));
  }

  @Test
  void plainAndGzippedReadTheSame() throws IOException {
    byte[] raw = idx(LABELS_MAGIC, new int[] {5}, FIVE);
    IdxReader.Idx plain = IdxReader.read(write(tmp.resolve("plain"), raw));
    IdxReader.Idx zipped = IdxReader.read(write(tmp.resolve("zipped.gz"), gzip(raw)));
    assertArrayEquals(new int[] {5}, plain.dims());
    assertArrayEquals(FIVE, plain.values());
    assertArrayEquals(plain.dims(), zipped.dims());
    assertArrayEquals(plain.values(), zipped.values());

    // Unsigned bytes survive as their bit pattern; the reader leaves scaling to Mnist.
    byte[] high = {(byte) 255, (byte) 128, 0};
    IdxReader.Idx bytes =
        IdxReader.read(
            write(tmp.resolve("high.gz"), gzip(idx(IMAGES_MAGIC, new int[] {1, 1, 3}, high))));
    assertArrayEquals(high, bytes.values());
  }

  @Test
  void truncatedDataNamesFileAndSizes() throws IOException {
    byte[] raw = idx(LABELS_MAGIC, new int[] {7}, FIVE);
    String plain = write(tmp.resolve("short-labels"), raw);
    Exception e = assertThrows(FileFormatException.class, () -> IdxReader.read(plain));
    assertMentions(e, "short-labels", "truncated", "[7]", "7 values", "has 5");

    String zipped = write(tmp.resolve("short-labels.gz"), gzip(raw));
    e = assertThrows(FileFormatException.class, () -> IdxReader.read(zipped));
    assertMentions(e, "short-labels.gz", "truncated", "7 values", "has 5");
  }

  @Test
  void cutOffGzipStreamNamesFile() throws IOException {
    byte[] images = new byte[3 * 28 * 28];
    for (int i = 0; i < images.length; i++) {
      images[i] = (byte) (i * 7919); // varied, so the stream does not compress to a few bytes
    }
    byte[] zipped = gzip(idx(IMAGES_MAGIC, new int[] {3, 28, 28}, images));
    String cut = write(tmp.resolve("cut.gz"), Arrays.copyOf(zipped, zipped.length / 2));
    Exception e = assertThrows(FileFormatException.class, () -> IdxReader.read(cut));
    assertMentions(e, "cut.gz", "gzip", "2352 values");

    // Cut inside gzip's own ten-byte header: still named, not a bare EOFException.
    String stub = write(tmp.resolve("stub.gz"), Arrays.copyOf(zipped, 5));
    e = assertThrows(FileFormatException.class, () -> IdxReader.read(stub));
    assertMentions(e, "stub.gz", "gzip");
  }

  @Test
  void trailingBytesAreAnError() throws IOException {
    byte[] raw = idx(LABELS_MAGIC, new int[] {4}, FIVE);
    String plain = write(tmp.resolve("long"), raw);
    Exception e = assertThrows(FileFormatException.class, () -> IdxReader.read(plain));
    assertMentions(e, "long", "more data", "[4]");

    String zipped = write(tmp.resolve("long.gz"), gzip(raw));
    e = assertThrows(FileFormatException.class, () -> IdxReader.read(zipped));
    assertMentions(e, "long.gz", "more data", "[4]");
  }

  @Test
  void badMagicIsAnError() throws IOException {
    String text = write(tmp.resolve("notes.txt"), "hello, world".getBytes());
    Exception e = assertThrows(FileFormatException.class, () -> IdxReader.read(text));
    assertMentions(e, "notes.txt", "not an IDX file", "'magic' = 0x68656c6c");

    String floats = write(tmp.resolve("floats"), idx(0x00000D01, new int[] {1}, new byte[4]));
    e = assertThrows(FileFormatException.class, () -> IdxReader.read(floats));
    assertMentions(e, "floats", "magic 0x00000d01");

    String rankless = write(tmp.resolve("rankless"), idx(0x00000800, new int[0], new byte[0]));
    e = assertThrows(FileFormatException.class, () -> IdxReader.read(rankless));
    assertMentions(e, "rankless", "magic 0x00000800");
  }

  @Test
  void badDimensionsAreAnError() throws IOException {
    String negative = write(tmp.resolve("negative"), idx(LABELS_MAGIC, new int[] {-1}, FIVE));
    Exception e = assertThrows(FileFormatException.class, () -> IdxReader.read(negative));
    assertMentions(e, "negative", "dims[0]", "-1", "negative dimension");

    // 65536^4 = 2^64 wraps a long to 0: the reader must see the size is too large, not empty.
    int[] huge = {65536, 65536, 65536, 65536};
    String wraps = write(tmp.resolve("wraps"), idx(0x00000804, huge, new byte[0]));
    e = assertThrows(FileFormatException.class, () -> IdxReader.read(wraps));
    assertMentions(e, "wraps", "too large");
  }

  @Test
  void fileShorterThanHeader() throws IOException {
    String stub = write(tmp.resolve("stub"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0});
    Exception e = assertThrows(FileFormatException.class, () -> IdxReader.read(stub));
    assertMentions(e, "stub", "header");

    String empty = write(tmp.resolve("empty"), new byte[0]);
    e = assertThrows(FileFormatException.class, () -> IdxReader.read(empty));
    assertMentions(e, "empty", "header");
  }

  @Test
  void missingFileNamesIt() {
    String where = tmp.resolve("absent.gz").toUri().toString();
    Exception e = assertThrows(AnygraphException.class, () -> IdxReader.read(where));
    assertEquals(where + ": no such file", e.getMessage());
  }

  private static int pixelSum(IdxReader.Idx images, int image) {
    int s = 0;
    for (int i = image * 784; i < (image + 1) * 784; i++) {
      s += images.values()[i] & 0xff;
    }
    return s;
  }
}
