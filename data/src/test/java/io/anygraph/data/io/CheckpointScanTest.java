package io.anygraph.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.LocalDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Finding the checkpoint to resume from among strays and leftovers; recorded options. */
class CheckpointScanTest {
  @TempDir Path tmp;

  @Test
  void theNewestValidCheckpointWinsOverStraysAndLeftoversAreRemoved() throws IOException {
    Directory dir = new LocalDirectory(tmp);
    try (Session s = new Session(CheckpointTest.model())) {
      s.initializeAllVariables();
      Checkpoint.save(s, dir, 3, 5, Map.of("seed", "11", "batch", "3"));
      Checkpoint.save(s, dir, 6, 5);
    }
    Files.createDirectories(tmp.resolve("ckpt-999")); // an empty folder
    Files.writeString(tmp.resolve("ckpt-1000"), "x"); // a plain file
    Files.createDirectories(tmp.resolve("ckpt-1001"));
    Files.writeString(tmp.resolve("ckpt-1001/checkpoint.json"), "{"); // a broken manifest
    Files.createDirectories(tmp.resolve(".ckpt-9.tmp-1234abcd")); // a killed write
    List<String> skipped = new ArrayList<>();
    assertEquals(Optional.of(6L), Checkpoint.latestValid(dir, skipped::add));
    assertEquals(3, skipped.size(), skipped.toString());
    String corrupt =
        tmp + "/ckpt-1001 is not a checkpoint (" + tmp + "/ckpt-1001/checkpoint.json is corrupt: ";
    assertTrue(skipped.get(0).startsWith(corrupt), skipped.get(0));
    assertEquals(
        tmp + "/ckpt-1000 is not a checkpoint (no readable checkpoint.json)", skipped.get(1));
    assertEquals(
        tmp
            + "/ckpt-999 is not a checkpoint ("
            + tmp
            + "/ckpt-999/checkpoint.json: no such"
            + " file)",
        skipped.get(2));
    assertEquals(Map.of("seed", "11", "batch", "3"), Checkpoint.options(dir, 3));
    assertEquals(Map.of(), Checkpoint.options(dir, 6)); // saved without options, as before
    assertEquals(List.of("removed .ckpt-9.tmp-1234abcd"), Checkpoint.removeUnfinished(dir));
    assertEquals(List.of("ckpt-1000", "ckpt-1001", "ckpt-3", "ckpt-6", "ckpt-999"), dir.list());
  }

  @Test
  void aWriteKilledBetweenItsTwoRenamesGetsTheOldVersionBack() throws IOException {
    // replacing ckpt-5 renames it to .ckpt-5.old-T, then .ckpt-5.tmp-T to ckpt-5; a kill in
    // between leaves no ckpt-5. For ckpt-6 the kill came after both renames.
    Directory dir = new LocalDirectory(tmp);
    Map<String, INDArray> saved;
    try (Session s = new Session(CheckpointTest.model())) {
      s.initializeAllVariables();
      Checkpoint.save(s, dir, 5, 5);
      Checkpoint.save(s, dir, 6, 5);
      saved = Checkpoint.read(dir, 5);
    }
    Files.move(tmp.resolve("ckpt-5"), tmp.resolve(".ckpt-5.old-0badc0de"));
    Files.createDirectories(tmp.resolve(".ckpt-5.tmp-0badc0de"));
    Files.writeString(tmp.resolve(".ckpt-5.tmp-0badc0de/0.npy"), "half");
    Files.createDirectories(tmp.resolve(".ckpt-6.old-12345678"));
    assertEquals(
        List.of(
            "restored ckpt-5 from .ckpt-5.old-0badc0de",
            "removed .ckpt-5.tmp-0badc0de",
            "removed .ckpt-6.old-12345678"),
        Checkpoint.removeUnfinished(dir));
    assertEquals(List.of("ckpt-5", "ckpt-6"), dir.list());
    assertEquals(saved, Checkpoint.read(dir, 5));
  }
}
