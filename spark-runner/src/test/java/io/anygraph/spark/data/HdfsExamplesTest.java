package io.anygraph.spark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.spark.LocalSpark;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A Spark job reads the shipped digits from a real HDFS (MiniDFSCluster) into cached shards. */
class HdfsExamplesTest {
  private static MiniDFSCluster hdfs;
  private static String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/hdfs-" + HdfsExamplesTest.class.getSimpleName()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    FileSystem fs = FileSystem.get(URI.create(root), conf);
    Path shipped = Path.of(URI.create(Mnist.defaultDir()));
    for (String name : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      byte[] gz = Files.readAllBytes(shipped.resolve(name + ".gz"));
      put(fs, "/gz/" + name + ".gz", gz);
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        put(fs, "/plain/" + name, in.readAllBytes()); // plain files: shards seek to their records
      }
    }
  }

  private static void put(FileSystem fs, String path, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
      out.write(bytes);
    }
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown(true);
      hdfs = null;
    }
  }

  @Test
  void shardsReadFromHdfsEqualTheLocalFilesAndStayCached() throws IOException {
    JavaSparkContext sc = LocalSpark.context();
    Dataset local = Mnist.load(Mnist.defaultDir()).test();
    JavaRDD<Dataset> gz = IdxExamples.read(sc, Mnist.pair(root + "/gz", "t10k"), 3);
    JavaRDD<Dataset> plain = IdxExamples.read(sc, Mnist.pair(root + "/plain/", "t10k"), 3);
    for (JavaRDD<Dataset> rdd : List.of(gz, plain)) {
      List<Dataset> shards = rdd.collect(); // through Kryo: blocks of examples are registered
      assertEquals(List.of(666, 667, 667), shards.stream().map(Dataset::size).toList());
      assertEquals(
          local.features(),
          Nd4j.concat(0, shards.stream().map(Dataset::features).toArray(INDArray[]::new)));
      assertEquals(
          local.labels(),
          Nd4j.concat(0, shards.stream().map(Dataset::labels).toArray(INDArray[]::new)));
    }
    RDD<?> cached = plain.rdd();
    assertTrue(
        List.of(sc.sc().getRDDStorageInfo()).stream()
            .anyMatch(info -> info.id() == cached.id() && info.numCachedPartitions() == 3));

    // with HDFS gone, the next steps still have every digit: the shards live in the executors
    stopHdfs();
    long digitSum = plain.map(d -> (long) d.labels().sumNumber().longValue()).reduce(Long::sum);
    assertEquals(local.labels().sumNumber().longValue(), digitSum);
    assertEquals(2000, (int) gz.map(Dataset::size).reduce(Integer::sum));
  }
}
