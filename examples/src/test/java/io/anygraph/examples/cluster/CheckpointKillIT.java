package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.core.io.Directory;
import io.anygraph.data.io.HadoopDirectory;
import io.anygraph.examples.mnist.MnistCnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while checkpointing: {@code bin/anygraph mnist} (its own JVM, one step per epoch, so a
 * checkpoint after every step) killed again and again at varied moments after a checkpoint write
 * has begun (its temporary folder appeared), each run resuming where the last one was killed. After
 * every kill the newest complete checkpoint must read back with all its checksums and restore into
 * a fresh model; a final run resumes to the end at the uninterrupted run's parameters, bit for bit
 * (same SHA-256).
 */
class CheckpointKillIT {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(2);
  private static final int EPOCHS = 8;

  /** Milliseconds from seeing a write begin to the kill: the kill lands before, in or after it. */
  private static final long[] DELAYS = {0, 1, 3, 8, 20};

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void killedWhileCheckpointingItNeverLeavesATornCheckpointAndResumesToTheSameParameters()
      throws Exception {
    StandaloneCluster.Run straight =
        StandaloneCluster.anygraphInBackground(tmp, training("straight")).await(RUN_LIMIT);
    assertEquals(0, straight.exitCode(), straight.output());

    Path dir = tmp.resolve("killed");
    Directory checkpoints = HadoopDirectory.of(dir.toUri().toString());
    int killedDuringWrite = 0;
    for (long delay : DELAYS) {
      List<Path> leftBefore = temporaryFolders(dir);
      StandaloneCluster.Running run =
          StandaloneCluster.anygraphInBackground(tmp, resumed("killed"));
      if (!awaitWriteStart(dir, run)) {
        break; // training finished before another write: nothing left to interrupt
      }
      Thread.sleep(delay);
      StandaloneCluster.Run killed = run.kill();
      assertFalse(
          Files.exists(tmp.resolve("killed.json")),
          "finished before the kill:\n" + killed.output());
      killedDuringWrite += leftBefore.containsAll(temporaryFolders(dir)) ? 0 : 1;
      List<Long> steps = Checkpoint.steps(checkpoints);
      assertFalse(steps.isEmpty(), "no complete checkpoint after the kill");
      long newest = steps.get(steps.size() - 1);
      Checkpoint.read(checkpoints, newest); // every file there, every checksum right
      MnistCnn fresh = new MnistCnn(5, 0.001);
      try (Session s = new Session(fresh.graph)) {
        s.initializeAllVariables();
        assertEquals(Optional.of(newest), Checkpoint.restoreLatest(s, checkpoints));
      }
    }
    System.out.printf(
        "CheckpointKillIT: %d of %d kills left a half-written checkpoint folder%n",
        killedDuringWrite, DELAYS.length);

    StandaloneCluster.Run last =
        StandaloneCluster.anygraphInBackground(tmp, resumed("killed")).await(RUN_LIMIT);
    assertEquals(0, last.exitCode(), last.output());
    assertEquals(checksum("straight"), checksum("killed"));
  }

  private String[] training(String name) {
    return new String[] {
      "mnist",
      "--epochs",
      Integer.toString(EPOCHS),
      "--steps",
      "1",
      "--seed",
      "5",
      "--checkpoint",
      tmp.resolve(name).toUri().toString(),
      "--json",
      tmp.resolve(name + ".json").toString()
    };
  }

  private String[] resumed(String name) {
    List<String> args = new ArrayList<>(List.of(training(name)));
    args.add("--resume");
    return args.toArray(new String[0]);
  }

  /**
   * Waits until a checkpoint write begins (a new temporary folder) with a complete checkpoint
   * already there (a kill in the very first write would leave nothing to check); false if the run
   * ended first.
   */
  private static boolean awaitWriteStart(Path dir, StandaloneCluster.Running run) throws Exception {
    List<Path> before = temporaryFolders(dir);
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    while (true) {
      List<Path> now = temporaryFolders(dir);
      if (now.stream().anyMatch(p -> !before.contains(p)) && hasCompleteFolder(dir)) {
        return true;
      }
      if (!run.process().isAlive()) {
        StandaloneCluster.Run r = run.await(Duration.ofSeconds(1));
        assertEquals(0, r.exitCode(), r.output());
        return false;
      }
      assertTrue(System.nanoTime() < deadline, "no checkpoint write began within " + RUN_LIMIT);
      Thread.sleep(1); // a write takes milliseconds; the training JVM needs the CPU
    }
  }

  private static boolean hasCompleteFolder(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().matches("ckpt-[0-9]+"));
    }
  }

  /** The folders AtomicWrite writes into before the rename ({@code .ckpt-N.tmp-...}). */
  private static List<Path> temporaryFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("\\.ckpt-[0-9]+\\.tmp-.*")).toList();
    }
  }

  private String checksum(String name) throws IOException {
    return new ObjectMapper()
        .readTree(tmp.resolve(name + ".json").toFile())
        .path("parameter_sha256")
        .asText();
  }
}
