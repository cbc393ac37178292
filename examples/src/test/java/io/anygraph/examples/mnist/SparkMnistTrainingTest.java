package io.anygraph.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.data.Mnist;
import io.anygraph.examples.train.SparkEquivalence;
import io.anygraph.examples.train.SparkTraining;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.Training;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exec.ShardedData;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MNIST training program on the embedded {@code local[2]} master: its steps equal the local
 * runner's within 1e-5 with digits in three unequal blocks, and with digits read from and
 * checkpoints written to a real HDFS, a resumed run ends exactly where an uninterrupted one does.
 */
class SparkMnistTrainingTest {
  private static SparkSession spark;
  private static JavaSparkContext sc;
  private static Mnist mnist;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    spark =
        SparkSetup.session(
            SparkSetup.conf("mnist-spark-test")
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false"));
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    mnist = Mnist.load(Mnist.defaultDir());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }

  @Test
  void threeStepsOnUnequalBlocksEqualTheLocalRunner() throws IOException {
    SparkEquivalence.check(
        new MnistExample(),
        sc,
        mnist.train().take(640),
        mnist.test().take(100),
        new int[] {300, 200, 140},
        0,
        tmp,
        "--epochs",
        "1",
        "--steps",
        "3",
        "--seed",
        "4");
  }

  @Test
  void twoStepsPerJobOnTheRingEqualTheLocalRunnerAndStopAtTheStepLimit() throws IOException {
    // --steps 3 with two steps per job: steps 0-1 in one job, then step 2 alone (a group that ran
    // on to step 3 would leave other parameters than the local runner's three steps)
    SparkEquivalence.check(
        new MnistExample(),
        sc,
        mnist.train().take(640),
        mnist.test().take(100),
        new int[] {340, 300},
        0,
        tmp,
        new String[] {"--exchange", "ring", "--steps-per-job", "2"},
        "--epochs",
        "2",
        "--steps",
        "3",
        "--seed",
        "4");
  }

  @Test
  void digitsAndCheckpointsOnHdfsAndAResumedRunContinuesExactly() throws IOException {
    Configuration conf = new Configuration();
    File base = tmp.resolve("hdfs").toFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      hdfs.waitActive();
      String root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
      FileSystem fs = hdfs.getFileSystem();
      for (File f :
          new File(Mnist.defaultDir().replace("file:", ""))
              .listFiles((d, n) -> n.contains("idx"))) {
        fs.copyFromLocalFile(
            new org.apache.hadoop.fs.Path(f.getPath()),
            new org.apache.hadoop.fs.Path("/mnist/" + f.getName()));
      }
      String data = root + "/mnist";
      String straight = run(data, root + "/straight", "--epochs", "2");
      run(data, root + "/resumed", "--epochs", "1");
      String resumed = run(data, root + "/resumed", "--epochs", "2", "--resume");
      assertEquals(straight, resumed);
      assertTrue(
          fs.exists(new org.apache.hadoop.fs.Path("/resumed/ckpt-6")), "epoch 2's checkpoint");
    } finally {
      hdfs.shutdown();
    }
  }

  /** Three steps an epoch on two blocks read from {@code data}; the parameters' checksum. */
  private String run(String data, String checkpoints, String... more) throws IOException {
    TrainOptions o =
        MnistExample.options(
            SparkEquivalence.with(
                new String[] {
                  "--runner",
                  "spark",
                  "--steps",
                  "3",
                  "--seed",
                  "9",
                  "--data",
                  data,
                  "--checkpoint",
                  checkpoints
                },
                more));
    Training<MnistCnn> t = new Training<>(new MnistExample(), o, quiet());
    ShardedData train = ShardedData.idx(sc, Mnist.pair(data, "train"), 2);
    return t.run(new SparkTraining(t.model(), sc, train), mnist.test().take(100))
        .parameterChecksum();
  }
}
