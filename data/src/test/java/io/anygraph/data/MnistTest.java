package io.anygraph.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The shipped digits, checked against figures computed independently with Python's gzip module
 * (class counts, pixels), and the reader's errors on damaged files.
 */
class MnistTest {
  private static Mnist mnist;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    mnist = Mnist.load(Mnist.defaultDir());
  }

  private static long[] classCounts(Dataset d) {
    long[] counts = new long[10];
    for (int label : d.labels().toIntVector()) {
      counts[label]++;
    }
    return counts;
  }

  @Test
  void countsShapesAndClassesMatchTheFiles() {
    assertEquals(8000, mnist.train().size());
    assertEquals(2000, mnist.test().size());
    assertArrayEquals(new long[] {8000, 784}, mnist.train().features().shape());
    assertEquals(DataType.FLOAT, mnist.train().features().dataType());
    assertEquals(DataType.INT, mnist.train().labels().dataType());
    assertArrayEquals(
        new long[] {782, 921, 781, 832, 805, 679, 789, 853, 775, 783}, classCounts(mnist.train()));
    assertArrayEquals(
        new long[] {219, 206, 210, 200, 175, 184, 225, 217, 169, 195}, classCounts(mnist.test()));
  }

  @Test
  void pixelsAreScaledGreyLevels() {
    // the first test image: pixel (14,14) is 214, (10,15) is 255, all pixels sum to 16731
    float[] first = mnist.test().features().getRow(0).toFloatVector();
    assertEquals(214 / 255f, first[14 * 28 + 14], 1e-7);
    assertEquals(1f, first[10 * 28 + 15], 1e-7);
    double sum = 0;
    for (float p : first) {
      sum += p;
    }
    assertEquals(16731 / 255.0, sum, 1e-3);
  }

  @Test
  void damagedFilesGiveClearErrors() throws IOException {
    Path truncated = tmp.resolve("labels-idx1-ubyte");
    Files.write(truncated, new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3});
    Exception e =
        assertThrows(AnygraphException.class, () -> IdxReader.read(truncated.toUri().toString()));
    assertTrue(
        e.getMessage().contains("truncated")
            && e.getMessage().contains("5 values")
            && e.getMessage().contains("has 3"),
        e.getMessage());
    Path wrongMagic = tmp.resolve("floats-idx1");
    Files.write(wrongMagic, new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 0});
    e = assertThrows(AnygraphException.class, () -> IdxReader.read(wrongMagic.toUri().toString()));
    assertTrue(e.getMessage().contains("magic 0x00000d01"), e.getMessage());
  }

  @Test
  void gzipIsRecognizedByContent() throws IOException {
    Path gz = tmp.resolve("no-suffix");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9});
    }
    IdxReader.Idx idx = IdxReader.read(gz.toUri().toString());
    assertArrayEquals(new int[] {3}, idx.dims());
    assertArrayEquals(new byte[] {7, 8, 9}, idx.values());
  }

  @Test
  void readsFromHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(
        MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
        Path.of("target/hdfs-MnistTest").toAbsolutePath().toString());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      cluster.waitActive();
      FileSystem fs = cluster.getFileSystem();
      String local = Mnist.defaultDir();
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/mnist");
      for (String f :
          new String[] {
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"
          }) {
        fs.copyFromLocalFile(
            new org.apache.hadoop.fs.Path(local + f), new org.apache.hadoop.fs.Path(dir, f));
      }
      Mnist remote = Mnist.load("hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/mnist");
      assertEquals(mnist.test().labels(), remote.test().labels());
      assertEquals(mnist.train().features(), remote.train().features());
    } finally {
      cluster.shutdown(true);
    }
  }
}
