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
 * Executor loss on a real standalone cluster (a master and two workers, each its own JVM on
 * 127.0.0.1), for one exchange: MNIST training, two epochs of {@value #STEPS_PER_EPOCH} steps on
 * two partitions, first uninterrupted, then again with worker-1's executor JVM killed (SIGKILL)
 * once the first epoch's checkpoint is written, during the second epoch. The interrupted run must
 * end at the uninterrupted run's parameters bit for bit (same SHA-256): the two blocks of digits
 * are fixed, so every sum's order is too, whichever executor recomputes what was lost and however
 * often. Each exchange's test says what Spark has to redo ({@link ShardedExecutorLossClusterIT},
 * {@link RingExecutorLossClusterIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
abstract class ExecutorLossCase {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
  private static final int STEPS_PER_EPOCH = 8;
  private static final int EPOCHS = 2;

  /** Set before each test class's {@code @BeforeAll} (the classes run one after the other). */
  @TempDir static Path tmp;

  private final String exchange;
  private final Path state;
  private StandaloneCluster cluster;
  private List<Long> daemons;
  private String uninterrupted;

  /**
   * @param exchange the {@code --exchange} of both runs
   * @param state the cluster's folder (logs, work dirs), one per test class
   */
  ExecutorLossCase(String exchange, Path state) {
    this.exchange = exchange;
    this.state = state;
  }

  @BeforeAll
  void startClusterAndTrainUninterrupted() throws Exception {
    cluster = StandaloneCluster.start(state, 2);
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
  void anExecutorKilledMidRunEndsAtTheUninterruptedParameters() throws Exception {
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
        .filter(l -> l.matches(".*(Lost executor|Resubmit|FetchFailed|lost|Recomput|barrier).*"))
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
                exchange,
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
