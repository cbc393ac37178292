package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.core.io.Directory;
import io.anygraph.data.io.HadoopDirectory;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.examples.mnist.MnistTrainingProbe;
import io.anygraph.spark.SparkSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST training submitted as a user would to a real standalone cluster (a master and two workers,
 * each its own JVM on 127.0.0.1, whose SPARK_HOME/jars holds Spark's jars only): Spark's own {@code
 * spark-submit} with the application jar, the JVM flags passed to driver and executors. Four steps
 * on three unequal blocks of digits held by the executors of both workers write a checkpoint after
 * each epoch of two steps, each loadable into a fresh model, and end at the local runner's
 * parameters (within 1e-5); no process of the cluster is left afterwards.
 */
class MnistClusterIT {
  @TempDir Path tmp;

  @Test
  void sparkSubmitOfTheApplicationJarTrainsOnAStandaloneClusterAsTheLocalRunnerDoes()
      throws Exception {
    String[] options = {"--epochs", "2", "--steps", "2", "--seed", "5"};
    String onCluster = tmp.resolve("cluster-ckpt").toUri().toString();
    Path json = tmp.resolve("mnist.json");
    List<Long> daemons;
    Path state = Path.of("target/it-cluster-mnist");
    try (StandaloneCluster cluster = StandaloneCluster.start(state, 2)) {
      daemons = cluster.daemonPids();
      assertEquals(3, daemons.size(), cluster.status().output());
      String flags = String.join(" ", SparkSetup.javaOptions());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--class",
                  "io.anygraph.examples.Main",
                  "--master",
                  cluster.masterUrl(),
                  "--driver-java-options",
                  flags,
                  "--conf",
                  "spark.executor.extraJavaOptions=" + flags,
                  "--conf",
                  "spark.executor.memory=768m",
                  StandaloneCluster.applicationJar().toString(),
                  "mnist",
                  "--runner",
                  "spark",
                  "--partitions",
                  "3",
                  "--checkpoint",
                  onCluster,
                  "--json",
                  json.toString()));
      args.addAll(List.of(options));
      StandaloneCluster.Run run = cluster.sparkSubmit(Duration.ofMinutes(5), args);
      assertEquals(0, run.exitCode(), run.output());
      // the driver's JVM had the flags (SparkSetup warns when it lacks any)
      assertFalse(run.output().contains("This JVM was started without"), run.output());
      JsonNode r = new ObjectMapper().readTree(json.toFile());
      assertEquals("spark", r.path("runner").asText());
      assertEquals(
          cluster.masterUrl(), r.path("master").asText(), "the master the run really used");
      assertTrue(
          run.output().contains("3 partitions") && run.output().contains("spark steps:"),
          run.output());
      Set<String> workersWithExecutors =
          cluster.executorLogs().stream()
              .map(p -> state.toAbsolutePath().relativize(p).getName(1).toString())
              .collect(Collectors.toSet());
      assertEquals(Set.of("worker-1", "worker-2"), workersWithExecutors);
    }
    for (long pid : daemons) {
      assertFalse(
          Files.exists(Path.of("/proc/" + pid)),
          "process " + pid + " of the cluster is still running");
    }
    Directory checkpoints = HadoopDirectory.of(onCluster);
    assertEquals(List.of(2L, 4L), Checkpoint.steps(checkpoints), "a checkpoint after each epoch");
    for (long step : Checkpoint.steps(checkpoints)) {
      MnistCnn fresh = new MnistCnn(5, 0.001);
      try (Session s = new Session(fresh.graph)) {
        Checkpoint.restore(s, checkpoints, step);
      }
    }
    double diff = MnistTrainingProbe.differenceFromLocal(options, onCluster, tmp.resolve("local"));
    assertTrue(diff <= 1e-5, "cluster and local parameters differ by " + diff);
  }
}
