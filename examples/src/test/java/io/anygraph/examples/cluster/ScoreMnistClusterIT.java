package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.examples.score.BriefCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: a Spark standalone master and two workers as separate JVMs on 127.0.0.1,
 * score-mnist submitted through SparkSubmit with the examples jar, each executor evaluating the CNN
 * per partition with the local runner. Its accuracy must equal a local session's on the same
 * checkpoint, counted in this JVM; afterwards no process of the cluster may be left.
 */
class ScoreMnistClusterIT {
  @TempDir Path tmp;

  @Test
  void scoringOnAStandaloneClusterEqualsTheLocalSession() throws Exception {
    String checkpoint = BriefCheckpoint.make(tmp.resolve("ckpt"));
    long correctHere = BriefCheckpoint.correctOnTestDigits(checkpoint);
    Path json = tmp.resolve("score.json");
    List<Long> daemons;
    Path state = Path.of("target/it-cluster");
    try (StandaloneCluster cluster = StandaloneCluster.start(state, 2)) {
      daemons = cluster.daemonPids();
      assertEquals(3, daemons.size(), cluster.status().output()); // master + 2 workers

      StandaloneCluster.Run run =
          cluster.submit(
              Duration.ofMinutes(5),
              "--conf",
              "spark.executor.memory=768m",
              "score-mnist",
              "--checkpoint",
              checkpoint,
              "--partitions",
              "6",
              "--batch",
              "100",
              "--json",
              json.toString(),
              "--parquet",
              tmp.resolve("digits").toUri().toString());
      assertEquals(0, run.exitCode(), run.output());

      JsonNode r = new ObjectMapper().readTree(json.toFile());
      assertEquals(cluster.masterUrl(), r.path("master").asText());
      assertEquals(2000, r.path("digits").asInt());
      assertEquals(correctHere, r.path("correct_spark").asLong(), run.output());
      assertEquals(correctHere, r.path("correct_local").asLong());
      assertTrue(correctHere > 1200, "accuracy " + correctHere / 2000.0); // far above chance (200)
      assertEquals(2000, r.path("rows_scored").asLong());
      assertTrue(
          r.path("batches").asInt() >= 20, r.toString()); // 6 partitions of ~333 in batches of 100
      // one session per executor JVM, however many tasks each ran
      int sessions = r.path("sessions_built").asInt();
      assertTrue(sessions >= 1 && sessions <= 2, r.toString());

      // the executors were separate JVMs, started by both workers
      Set<String> workersWithExecutors =
          cluster.executorLogs().stream()
              .map(p -> state.toAbsolutePath().relativize(p).getName(1).toString())
              .collect(Collectors.toSet());
      assertEquals(
          Set.of("worker-1", "worker-2"), workersWithExecutors, cluster.executorLogs().toString());
    }
    for (long pid : daemons) {
      assertFalse(
          Files.exists(Path.of("/proc/" + pid)),
          "process " + pid + " of the cluster is still running");
    }
  }
}
