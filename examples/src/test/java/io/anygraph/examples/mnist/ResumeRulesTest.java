package io.anygraph.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.core.io.LocalDirectory;
import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.data.io.Directories;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.CommandRun;
import io.anygraph.examples.cli.TinyMnist;
import io.anygraph.examples.train.Training;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resuming cannot silently diverge: 256 digits in batches of 64 make 4 steps an epoch, and every
 * checkpoint records the options that decide the result.
 */
class ResumeRulesTest {
  private static Dataset train;
  private static Dataset test;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    Mnist mnist = Mnist.load(Mnist.defaultDir());
    train = mnist.train().take(256);
    test = mnist.test().take(100);
  }

  /** A run's result and what it printed. */
  private record Ran(Training.Result result, String out) {}

  private static Ran train(String... args) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Training.Result r =
        new Training<>(
                new MnistExample(),
                MnistExample.options(args),
                new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .run(train, test);
    return new Ran(r, bytes.toString(StandardCharsets.UTF_8));
  }

  private String ckpt() {
    return tmp.resolve("ckpt").toString();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--batch, 32, '--batch 64, this run has --batch 32'",
    "--seed, 3, '--seed 2, this run has --seed 3'",
    "--lr, 0.002, '--lr 0.001, this run has --lr 0.002'",
    "--steps, 2, '4 steps per epoch, this run has 2 steps per epoch'"
  })
  void aResumeWithOtherOptionsIsRefusedNamingBothValues(String option, String value, String values)
      throws IOException {
    train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt());
    CommandFailure f =
        assertThrows(
            CommandFailure.class,
            () ->
                train(
                    "--epochs",
                    "2",
                    "--seed",
                    "2",
                    "--checkpoint",
                    ckpt(),
                    "--resume",
                    option,
                    value));
    assertEquals(CommandFailure.USAGE, f.exitCode());
    assertEquals(
        "--checkpoint "
            + ckpt()
            + ": ckpt-4: was trained with "
            + values
            + " (--force-resume overrides)",
        f.getMessage());
  }

  @Test
  void forceResumeContinuesDespiteOtherOptions() throws IOException {
    train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt());
    Ran r =
        train(
            "--epochs",
            "2",
            "--seed",
            "2",
            "--lr",
            "0.002",
            "--checkpoint",
            ckpt(),
            "--force-resume");
    assertTrue(r.out().contains("resuming from step 4 of 8"), r.out());
    assertEquals(4, r.result().stepsTrained());
  }

  @Test
  void theManifestRecordsTheOptions() throws IOException {
    train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt());
    Map<String, String> o = Checkpoint.options(Directories.open(ckpt()), 4);
    assertEquals(
        Map.of(
            "model",
            "MnistCnn",
            "seed",
            "2",
            "batch",
            "64",
            "lr",
            "0.001",
            "steps_per_epoch",
            "4",
            "train_examples",
            "256",
            "epochs",
            "1"),
        o);
  }

  @Test
  void resumingPastTheLastEpochSaysAlreadyCompleteAndTrainsNothing() throws IOException {
    Ran first = train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt());
    Ran again = train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt(), "--resume");
    assertTrue(again.out().contains("already complete at step 4 of 4"), again.out());
    assertEquals(0, again.result().stepsTrained());
    assertEquals(first.result().parameterChecksum(), again.result().parameterChecksum());
    assertEquals(first.result().metric(), again.result().metric());
  }

  @Test
  void theCommandEndsACompleteResumeWithExitZeroAndNoLossLine() throws IOException {
    String data = TinyMnist.write(tmp.resolve("data"), 128, 50).toString();
    String[] args = {"mnist", "--data", data, "--epochs", "1", "--checkpoint", ckpt()};
    assertEquals(0, CommandRun.of(args).exit());
    CommandRun r =
        CommandRun.of(Stream.concat(Stream.of(args), Stream.of("--resume")).toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("already complete at step 2 of 2"), r.out());
    assertFalse(r.out().contains("loss") || r.out().contains("NaN"), r.out());
    assertTrue(r.out().contains("(no steps trained)"), r.out());
  }

  @Test
  void strayCheckpointEntriesAreSkippedWithAWarning() throws IOException {
    Ran straight = train("--epochs", "2", "--seed", "2");
    train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt());
    Files.createDirectories(tmp.resolve("ckpt/ckpt-999"));
    Files.writeString(tmp.resolve("ckpt/ckpt-1000"), "not a checkpoint");
    Ran resumed = train("--epochs", "2", "--seed", "2", "--checkpoint", ckpt(), "--resume");
    assertTrue(
        resumed
            .out()
            .contains(
                "warning: skipping "
                    + ckpt()
                    + "/ckpt-1000 is not a checkpoint"
                    + " (no readable checkpoint.json)\n"),
        resumed.out());
    assertTrue(
        resumed
            .out()
            .contains(
                "warning: skipping "
                    + ckpt()
                    + "/ckpt-999 is not a checkpoint ("
                    + ckpt()
                    + "/ckpt-999/checkpoint.json: no such file)\n"),
        resumed.out());
    assertTrue(resumed.out().contains("resuming from step 4 of 8"), resumed.out());
    assertEquals(straight.result().parameterChecksum(), resumed.result().parameterChecksum());
  }

  @Test
  void unfinishedWritesOfKilledRunsAreRemovedAtStart() throws IOException {
    Path leftover = tmp.resolve("ckpt/.ckpt-4.tmp-0badc0de");
    Files.createDirectories(leftover);
    Files.writeString(leftover.resolve("0.npy"), "half");
    Ran r = train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt());
    assertFalse(Files.exists(leftover));
    assertTrue(
        r.out()
            .contains(
                "removed .ckpt-4.tmp-0badc0de in "
                    + ckpt()
                    + ", left by an interrupted checkpoint write"),
        r.out());
    assertTrue(Files.isDirectory(tmp.resolve("ckpt/ckpt-4")));
  }

  @Test
  void anEmptyCheckpointFolderStartsFreshAndSaysSo() throws IOException {
    Files.createDirectories(tmp.resolve("ckpt"));
    Ran r = train("--epochs", "1", "--seed", "2", "--checkpoint", ckpt(), "--resume");
    assertTrue(
        r.out().contains("no checkpoint to resume from in " + ckpt() + ", starting at step 0"),
        r.out());
    assertEquals(4, r.result().stepsTrained());
  }

  @Test
  void aCheckpointWithoutRecordedOptionsIsRefusedUnlessForced() throws IOException {
    Training<MnistCnn> t =
        new Training<>(
            new MnistExample(),
            MnistExample.options(new String[] {"--seed", "2"}),
            new PrintStream(new ByteArrayOutputStream()));
    try (Session sess = new Session(t.model().graph)) {
      sess.initializeAllVariables();
      Checkpoint.save(sess, Directories.open(ckpt()), 4, 3); // as older versions wrote them
    }
    CommandFailure f =
        assertThrows(
            CommandFailure.class,
            () -> train("--epochs", "2", "--seed", "2", "--checkpoint", ckpt(), "--resume"));
    assertEquals(
        "--checkpoint "
            + ckpt()
            + ": ckpt-4: records no training options (an older"
            + " checkpoint); --force-resume resumes from it anyway",
        f.getMessage());
    Ran forced = train("--epochs", "2", "--seed", "2", "--checkpoint", ckpt(), "--force-resume");
    assertTrue(forced.out().contains("resuming from step 4 of 8"), forced.out());
  }

  @Test
  void localCheckpointsAreWrittenWithoutHadoopsLocalFileSystem() throws IOException {
    // Hadoop's LocalFileSystem forks chmod per file and writes .crc siblings; java.nio does neither
    assertTrue(Directories.open(ckpt()) instanceof LocalDirectory);
    assertTrue(Directories.open(tmp.toUri().toString()) instanceof LocalDirectory);
    train("--epochs", "1", "--seed", "2", "--checkpoint", tmp.toUri() + "ckpt");
    try (Stream<Path> files = Files.walk(tmp.resolve("ckpt"))) {
      assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".crc")).count());
    }
    assertTrue(Files.isRegularFile(tmp.resolve("ckpt/ckpt-4/checkpoint.json")));
  }
}
