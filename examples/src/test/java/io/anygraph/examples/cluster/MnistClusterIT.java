package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.examples.mnist.MnistTrainingProbe;
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
 * MNIST training submitted to a real standalone cluster (a master and two workers, each its own JVM
 * on 127.0.0.1) through SparkSubmit: four steps on three unequal blocks of digits held by the
 * executors of both workers end at the local runner's parameters (within 1e-5), and no process of
 * the cluster is left afterwards.
 */
class MnistClusterIT {
  @TempDir Path tmp;

  @Test
  void trainingOnAStandaloneClusterEqualsTheLocalRunner() throws Exception {
    String[] options = {"--epochs", "1", "--steps", "4", "--seed", "5"};
    String onCluster = tmp.resolve("cluster-ckpt").toUri().toString();
    Path json = tmp.resolve("mnist.json");
    List<Long> daemons;
    Path state = Path.of("target/it-cluster-mnist");
    try (StandaloneCluster cluster = StandaloneCluster.start(state, 2)) {
      daemons = cluster.daemonPids();
      assertEquals(3, daemons.size(), cluster.status().output());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--conf",
                  "spark.executor.memory=768m",
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
      StandaloneCluster.Run run =
          cluster.submit(Duration.ofMinutes(5), args.toArray(new String[0]));
      assertEquals(0, run.exitCode(), run.output());
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
    double diff = MnistTrainingProbe.differenceFromLocal(options, onCluster, tmp.resolve("local"));
    assertTrue(diff <= 1e-5, "cluster and local parameters differ by " + diff);
  }
}
