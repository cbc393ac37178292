package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.io.LocalDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executor loss under the sharded exchange, on a real standalone cluster (a master and two workers,
 * each its own JVM on 127.0.0.1): MNIST training with {@code --exchange sharded}, two epochs of
 * {@value #STEPS_PER_EPOCH} steps, and once the first epoch's checkpoint is written, worker-1's
 * executor JVM killed (SIGKILL) during the second epoch. Between checkpoints the parameters and
 * Adam's state live only in the slice owners' cached results and reach the next step's tasks by a
 * shuffle; the lost executor's cached slices and shuffle outputs are recomputed from their lineage
 * (back to the epoch's first step, whose slices were cut from the driver's variables after the
 * checkpoint gathered them). The run must end at the uninterrupted sharded run's parameters bit for
 * bit (same SHA-256): the two blocks of digits are fixed, so the slice bounds and the order of
 * every sum are too, whichever executor computes a slice and however often.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ShardedExecutorLossClusterIT {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
  private static final int STEPS_PER_EPOCH = 8;
  private static final int EPOCHS = 2;

  @TempDir static Path tmp;
  private StandaloneCluster cluster;
  private List<Long> daemons;
  private String uninterrupted;

  @BeforeAll
  void startClusterAndTrainUninterrupted() throws Exception {
    cluster = StandaloneCluster.start(Path.of("target/it-cluster-sharded-loss"), 2);
    daemons = cluster.daemonPids();
    assertEquals(3, daemons.size(), cluster.status().output()); // master + 2 workers
    StandaloneCluster.Run run = cluster.submit(RUN_LIMIT, training("uninterrupted"));
    assertEquals(0, run.exitCode(), run.output());
    uninterrupted = checksum("uninterrupted");
    assertFalse(uninterrupted.isEmpty(), run.output());
  }

  @AfterAll
  void noProcessOfTheClusterIsLeft() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    for (long pid : daemons) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " of the cluster is still running");
    }
  }

  @Test
  void anExecutorKilledBetweenCheckpointsEndsAtTheUninterruptedParameters() throws Exception {
    StandaloneCluster.Running run = cluster.submitInBackground(training("executor"));
    awaitFirstCheckpoint(run);
    List<ProcessHandle> executors = cluster.executorsOf(1);
    assertEquals(1, executors.size(), "executors of worker-1: " + executors);
    for (ProcessHandle p : executors) {
      p.destroyForcibly();
      p.onExit().get(30, TimeUnit.SECONDS);
    }
    assertTrue(
        steps().stream().allMatch(s -> s < STEPS_PER_EPOCH * EPOCHS),
        "the executor died after training ended: no step ran without it");
    StandaloneCluster.Run done = run.await(RUN_LIMIT);
    assertEquals(0, done.exitCode(), done.output());
    assertTrue(
        done.output().contains("Lost executor"),
        "Spark never saw the executor die:\n" + done.output());
    assertEquals(uninterrupted, checksum("executor"), done.output());
    // what Spark redid after the loss, for the test's report (which work was lost varies)
    done.output()
        .lines()
        .filter(l -> l.matches(".*(Lost executor|Resubmit|FetchFailed|lost|Recomput).*"))
        .forEach(System.out::println);
  }

  private String[] training(String name) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--conf",
                "spark.executor.memory=768m",
                "mnist",
                "--runner",
                "spark",
                "--exchange",
                "sharded",
                "--partitions",
                "2",
                "--epochs",
                Integer.toString(EPOCHS),
                "--steps",
                Integer.toString(STEPS_PER_EPOCH),
                "--seed",
                "5",
                "--checkpoint",
                tmp.resolve(name).toUri().toString(),
                "--json",
                tmp.resolve(name + ".json").toString()));
    return args.toArray(new String[0]);
  }

  /** Waits for the first epoch's checkpoint; fails if the run ended first. */
  private void awaitFirstCheckpoint(StandaloneCluster.Running run) throws Exception {
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    while (steps().isEmpty()) {
      if (!run.process().isAlive()) {
        fail("the run ended before its first checkpoint:\n" + run.await(Duration.ofSeconds(1)));
      }
      assertTrue(System.nanoTime() < deadline, "no checkpoint within " + RUN_LIMIT);
      Thread.sleep(100);
    }
  }

  private List<Long> steps() throws IOException {
    Path dir = tmp.resolve("executor");
    return Files.isDirectory(dir) ? Checkpoint.steps(new LocalDirectory(dir)) : List.of();
  }

  private String checksum(String name) throws IOException {
    return new ObjectMapper()
        .readTree(tmp.resolve(name + ".json").toFile())
        .path("parameter_sha256")
        .asText();
  }
}
