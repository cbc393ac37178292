package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.io.Directory;
import io.anygraph.data.Mnist;
import io.anygraph.data.io.HadoopDirectory;
import io.anygraph.examples.mnist.MnistTrainingProbe;
import io.anygraph.spark.SparkSetup;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark on YARN: an in-process HDFS ({@code MiniDFSCluster}) and YARN ({@code MiniYARNCluster}: a
 * resource manager and a node manager, whose containers are separate JVMs), the application jar
 * submitted by Spark's own {@code spark-submit --master yarn} in cluster and in client deploy mode,
 * reading the digits from HDFS and writing checkpoints there. Each run's parameters equal the local
 * runner's (within 1e-5).
 */
class YarnClusterIT {
  private static final String[] OPTIONS = {"--epochs", "1", "--steps", "3", "--seed", "7"};

  private static MiniDFSCluster hdfs;
  private static MiniYARNCluster yarn;
  private static Path confDir;
  private static Path sparkHome;

  @TempDir static Path tmp;

  @BeforeAll
  static void clusters() throws Exception {
    Path base = Path.of("target/it-yarn").toAbsolutePath();
    deleteRecursively(base);
    Configuration conf = new YarnConfiguration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    conf.set("fs.defaultFS", hdfs.getURI().toString());
    // room for the application master and two executors of 768 MiB (plus Spark's 384 MiB each)
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // a nearly full disk must not mark the only node unhealthy
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
    // the capacity scheduler's one queue (a cluster reads capacity-scheduler.xml), open to any
    // user, and free to give all of it to application masters (a driver in cluster mode)
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
    // MiniYARNCluster's folders (the containers' logs among them) go under test.build.data
    System.setProperty("test.build.data", base.resolve("yarn").toString());
    yarn = new MiniYARNCluster("anygraph-yarn", 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    confDir = base.resolve("conf");
    Files.createDirectories(confDir);
    // what a client needs: the file system and YARN's addresses (known after start), not the test
    // clusters' own settings (MiniDFSCluster's StaticMapping topology is a test class)
    Configuration client = new Configuration(false);
    client.set("fs.defaultFS", hdfs.getURI().toString());
    for (Map.Entry<String, String> e : yarn.getConfig()) {
      if (e.getKey().startsWith("yarn.resourcemanager.")) {
        client.set(e.getKey(), e.getValue());
      }
    }
    for (String name : List.of("core-site.xml", "yarn-site.xml")) {
      try (OutputStream out = Files.newOutputStream(confDir.resolve(name))) {
        client.writeXml(out);
      }
    }
    Directory digits = HadoopDirectory.of(hdfs.getURI() + "/mnist", conf);
    digits.mkdirs();
    File shipped = new File(URI.create(Mnist.defaultDir()));
    for (File f : shipped.listFiles()) {
      try (OutputStream out = digits.create(f.getName())) {
        Files.copy(f.toPath(), out);
      }
    }
    // Spark's distribution (its jars, bin/spark-submit), as the standalone cluster's
    sparkHome = StandaloneCluster.assembleSparkHome(base.resolve("spark"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (yarn != null) {
      yarn.stop();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void clusterDeployModeTrainsAsTheLocalRunnerDoes() throws Exception {
    trainsAsTheLocalRunnerDoes("cluster");
  }

  @Test
  void clientDeployModeTrainsAsTheLocalRunnerDoes() throws Exception {
    trainsAsTheLocalRunnerDoes("client");
  }

  private void trainsAsTheLocalRunnerDoes(String deployMode) throws Exception {
    String checkpoints = hdfs.getURI() + "/checkpoints-" + deployMode;
    String flags = String.join(" ", SparkSetup.javaOptions());
    String javaHome = System.getProperty("java.home");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--class",
                "io.anygraph.examples.Main",
                "--master",
                "yarn",
                "--deploy-mode",
                deployMode,
                "--driver-java-options",
                flags,
                "--conf",
                "spark.executor.extraJavaOptions=" + flags,
                "--driver-memory",
                "768m",
                "--num-executors",
                "2",
                "--executor-cores",
                "1",
                "--executor-memory",
                "768m",
                // the node manager is on this machine: Spark's jars from SPARK_HOME, not uploaded
                "--conf",
                "spark.yarn.jars=local:" + sparkHome.resolve("jars") + "/*",
                "--conf",
                "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                "--conf",
                "spark.executorEnv.JAVA_HOME=" + javaHome,
                StandaloneCluster.applicationJar().toString(),
                "mnist",
                "--runner",
                "spark",
                "--partitions",
                "2",
                "--data",
                hdfs.getURI() + "/mnist",
                "--checkpoint",
                checkpoints));
    args.addAll(List.of(OPTIONS));
    args.add(0, sparkHome.resolve("bin/spark-submit").toString());
    StandaloneCluster.Run run =
        StandaloneCluster.command(
            tmp,
            Duration.ofMinutes(6),
            Map.of("HADOOP_CONF_DIR", confDir.toString(), "YARN_CONF_DIR", confDir.toString()),
            args);
    // the logs are read only on failure: YARN deletes finished containers' directories meanwhile
    assertEquals(0, run.exitCode(), () -> run.output() + containerLogs());
    assertEquals(List.of(3L), Checkpoint.steps(HadoopDirectory.of(checkpoints)));
    double diff =
        MnistTrainingProbe.differenceFromLocal(OPTIONS, checkpoints, tmp.resolve(deployMode));
    assertTrue(diff <= 1e-5, deployMode + " mode and local parameters differ by " + diff);
  }

  /**
   * The containers' stderr (application master, executors), for a failure's message; what YARN
   * deletes while this reads is left out.
   */
  private static String containerLogs() {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> s = Files.walk(Path.of("target/it-yarn/yarn").toAbsolutePath())) {
      for (Path p : s.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
        String text = Files.readString(p);
        out.append("\n--- ").append(p).append('\n');
        out.append(text, Math.max(0, text.length() - 4000), text.length());
      }
    } catch (IOException | UncheckedIOException e) {
      out.append("\n(container logs incomplete: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}
