package io.anygraph.data;

import static io.anygraph.data.IdxFiles.IMAGES_MAGIC;
import static io.anygraph.data.IdxFiles.gzip;
import static io.anygraph.data.IdxFiles.idx;
import static io.anygraph.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a range of records (a shard), as parallel readers do, from plain and gzip'd files. */
class IdxRangeTest {
  @TempDir Path tmp;
  private final Configuration conf = new Configuration();

  /** Four 2x3 "images" whose bytes are 0..23 in order. */
  private static byte[] fourImages() throws IOException {
    byte[] data = new byte[24];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    return idx(IMAGES_MAGIC, new int[] {4, 2, 3}, data);
  }

  @Test
  void rangesOfPlainAndGzippedFilesHoldThoseRecords() throws IOException {
    for (boolean zipped : new boolean[] {false, true}) {
      String uri = write(tmp.resolve("x" + zipped), zipped ? gzip(fourImages()) : fourImages());
      assertArrayEquals(new int[] {4, 2, 3}, IdxReader.dims(uri, conf));
      IdxReader.Idx mid = IdxReader.read(uri, conf, 1, 3);
      assertArrayEquals(new int[] {2, 2, 3}, mid.dims());
      byte[] expected = new byte[12];
      for (int i = 0; i < 12; i++) {
        expected[i] = (byte) (6 + i); // records 1 and 2 start at byte 6
      }
      assertArrayEquals(expected, mid.values());
      assertEquals(0, IdxReader.read(uri, conf, 4, 4).values().length);
      assertArrayEquals(
          Arrays.copyOfRange(fourImages(), 16 + 18, 16 + 24),
          IdxReader.read(uri, conf, 3, 4).values());
      Exception e = assertThrows(AnygraphException.class, () -> IdxReader.read(uri, conf, 2, 5));
      assertTrue(
          e.getMessage().contains("[2, 5)") && e.getMessage().contains("[4, 2, 3]"),
          e.getMessage());
    }
  }

  @Test
  void aRangeBeyondATruncatedFileNamesTheRecord() throws IOException {
    byte[] cut = Arrays.copyOf(fourImages(), 16 + 8); // header + one record and a third
    String uri = write(tmp.resolve("cut"), cut);
    assertEquals(6, IdxReader.read(uri, conf, 0, 1).values().length);
    Exception e = assertThrows(AnygraphException.class, () -> IdxReader.read(uri, conf, 2, 3));
    assertTrue(e.getMessage().contains("before record 2"), e.getMessage());
    e = assertThrows(AnygraphException.class, () -> IdxReader.read(uri, conf, 1, 2));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void mnistShardsEqualTheWholeFileSplit() throws IOException {
    String dir = Mnist.defaultDir();
    Dataset whole = Mnist.load(dir).test();
    String images = Mnist.file(dir, "t10k", "images");
    String labels = Mnist.file(dir, "t10k", "labels");
    Dataset part =
        Mnist.examples(
            IdxReader.read(images, conf, 700, 1300),
            IdxReader.read(labels, conf, 700, 1300),
            "t10k",
            700);
    assertEquals(whole.range(700, 1300).features(), part.features());
    assertEquals(whole.range(700, 1300).labels(), part.labels());
  }
}
