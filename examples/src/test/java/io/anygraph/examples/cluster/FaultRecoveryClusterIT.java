package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault catalogue on a real standalone cluster (a master and two workers, each its own JVM on
 * 127.0.0.1): MNIST training submitted through SparkSubmit, one step per epoch so a checkpoint
 * follows every step, and mid-training (once the second checkpoint is there) one of: an executor
 * JVM killed (SIGKILL), a whole worker killed with its executors, or the driver killed and the run
 * resumed from its newest checkpoint. Each run must end at the uninterrupted run's parameters bit
 * for bit (same SHA-256): two blocks of digits, so the gradient sum of a step does not depend on
 * which task finishes first. Afterwards no process of the cluster may be left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FaultRecoveryClusterIT {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  /** Steps (= checkpoints) done before the fault: the fault lands mid-training. */
  private static final long FAULT_AFTER = 2;

  private static final int STEPS = 4;

  @TempDir static Path tmp;
  private StandaloneCluster cluster;
  private List<Long> daemons;
  private String uninterrupted;

  @BeforeAll
  void startClusterAndTrainUninterrupted() throws Exception {
    cluster = StandaloneCluster.start(Path.of("target/it-cluster-faults"), 2);
    daemons = cluster.daemonPids();
    assertEquals(3, daemons.size(), cluster.status().output()); // master + 2 workers
    StandaloneCluster.Run run = cluster.submit(RUN_LIMIT, training("uninterrupted", false));
    assertEquals(0, run.exitCode(), run.output());
    uninterrupted = checksum("uninterrupted");
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
    String home = Path.of("target/it-cluster-faults/spark-home").toAbsolutePath().toString();
    List<ProcessHandle> left =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains(home))
            .toList();
    assertTrue(left.isEmpty(), "executors still running: " + left);
  }

  @Test
  @Order(1)
  void anExecutorKilledMidTrainingIsReplacedAndTrainingEndsAsUninterrupted() throws Exception {
    StandaloneCluster.Running run = cluster.submitInBackground(training("executor", false));
    awaitCheckpoint("executor", run);
    List<ProcessHandle> executors = cluster.executorsOf(1);
    assertEquals(1, executors.size(), "executors of worker-1: " + executors);
    kill(executors);
    StandaloneCluster.Run done = run.await(RUN_LIMIT);
    assertEquals(0, done.exitCode(), done.output());
    assertTrue(
        done.output().contains("Lost executor"),
        "Spark never saw the executor die:\n" + done.output());
    assertEquals(uninterrupted, checksum("executor"));
  }

  @Test
  @Order(2)
  void theDriverKilledMidTrainingResumesFromItsNewestCheckpointToTheSameParameters()
      throws Exception {
    StandaloneCluster.Running run = cluster.submitInBackground(training("driver", false));
    awaitCheckpoint("driver", run);
    StandaloneCluster.Run killed = run.kill();
    assertNotEquals(0, killed.exitCode(), killed.output());
    assertFalse(Files.exists(tmp.resolve("driver.json")), "the killed driver finished anyway");
    long newest = steps("driver").get(steps("driver").size() - 1);
    assertTrue(newest >= FAULT_AFTER && newest < STEPS, "newest checkpoint " + newest);

    StandaloneCluster.Run resumed = cluster.submit(RUN_LIMIT, training("driver", true));
    assertEquals(0, resumed.exitCode(), resumed.output());
    assertTrue(
        resumed.output().contains("resuming from step " + newest + " of " + STEPS),
        resumed.output());
    assertEquals(uninterrupted, checksum("driver"));
  }

  @Test
  @Order(3) // last: the cluster has one worker left
  void aWorkerKilledWithItsExecutorsMidTrainingLeavesTheOtherToFinishAsUninterrupted()
      throws Exception {
    StandaloneCluster.Running run = cluster.submitInBackground(training("worker", false));
    awaitCheckpoint("worker", run);
    List<ProcessHandle> whole = new ArrayList<>(cluster.executorsOf(2));
    assertEquals(1, whole.size(), "executors of worker-2: " + whole);
    whole.add(ProcessHandle.of(daemons.get(2)).orElseThrow()); // worker-2's JVM
    kill(whole);
    StandaloneCluster.Run done = run.await(RUN_LIMIT);
    assertEquals(0, done.exitCode(), done.output());
    assertTrue(
        done.output().contains("Lost executor"),
        "Spark never saw the executor die:\n" + done.output());
    assertEquals(uninterrupted, checksum("worker"));
  }

  /** The submit arguments of a run named {@code name}: its checkpoints and JSON under tmp. */
  private String[] training(String name, boolean resume) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--conf",
                "spark.executor.memory=768m",
                "mnist",
                "--runner",
                "spark",
                "--partitions",
                "2",
                "--epochs",
                Integer.toString(STEPS),
                "--steps",
                "1",
                "--seed",
                "5",
                "--checkpoint",
                tmp.resolve(name).toUri().toString(),
                "--json",
                tmp.resolve(name + ".json").toString()));
    if (resume) {
      args.add("--resume");
    }
    return args.toArray(new String[0]);
  }

  /** Waits until the run has written checkpoint {@link #FAULT_AFTER}; fails if it ended first. */
  private void awaitCheckpoint(String name, StandaloneCluster.Running run) throws Exception {
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    while (steps(name).stream().noneMatch(s -> s >= FAULT_AFTER)) {
      if (!run.process().isAlive()) {
        fail(
            "the run ended before its checkpoint "
                + FAULT_AFTER
                + ":\n"
                + run.await(Duration.ofSeconds(1)).output());
      }
      assertTrue(
          System.nanoTime() < deadline, "no checkpoint " + FAULT_AFTER + " within " + RUN_LIMIT);
      Thread.sleep(100);
    }
    assertTrue(
        steps(name).stream().allMatch(s -> s < STEPS), "the fault would come after training");
  }

  private List<Long> steps(String name) throws IOException {
    Path dir = tmp.resolve(name);
    return Files.isDirectory(dir) ? Checkpoint.steps(new LocalDirectory(dir)) : List.of();
  }

  /** SIGKILL to each process, as a crash or the out-of-memory killer would; waits for the ends. */
  private static void kill(List<ProcessHandle> processes) throws Exception {
    for (ProcessHandle p : processes) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : processes) {
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private String checksum(String name) throws IOException {
    return new ObjectMapper()
        .readTree(tmp.resolve(name + ".json").toFile())
        .path("parameter_sha256")
        .asText();
  }
}
