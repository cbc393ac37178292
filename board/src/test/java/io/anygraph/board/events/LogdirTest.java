package io.anygraph.board.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.TestGraphs;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs found in a logdir, and what reading them makes of cut-off and damaged files. */
class LogdirTest {
  @TempDir Path tmp;

  private SummaryWriter writeRun(Path dir, float... losses) throws IOException {
    SummaryWriter w = SummaryWriter.open(dir.toString());
    w.addGraph(TestGraphs.tutorial());
    for (int i = 0; i < losses.length; i++) {
      w.addScalar("loss", losses[i], i + 1);
    }
    w.close();
    return w;
  }

  @Test
  void runsAreTheFoldersWithEventFiles() throws IOException {
    writeRun(tmp, 1);
    writeRun(tmp.resolve("mnist/seed1"), 2);
    writeRun(tmp.resolve("tutorial"), 3);
    Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(tmp.resolve("tutorial/notes.txt"), "not an event file");
    Logdir logdir = Logdir.open(tmp.toString());
    assertEquals(List.of(".", "mnist/seed1", "tutorial"), logdir.runs());
    Run r = logdir.read("mnist/seed1");
    assertEquals(
        List.of(new Run.Scalar(1, r.scalars().get("loss").get(0).wallTime(), 2f)),
        r.scalars().get("loss"));
    assertEquals(3, r.graph().nodes().size());
    assertTrue(r.problems().isEmpty(), r.problems().toString());
  }

  @Test
  void badLogdirsAndUnknownRunsGiveClearErrors() throws IOException {
    FileNotFoundException missing =
        assertThrows(
            FileNotFoundException.class, () -> Logdir.open(tmp.resolve("nope").toString()));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    Path file = Files.writeString(tmp.resolve("file"), "x");
    IOException notDir = assertThrows(IOException.class, () -> Logdir.open(file.toString()));
    assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
    writeRun(tmp.resolve("run"), 1);
    Logdir logdir = Logdir.open(tmp.toString());
    for (String bad : List.of("../", "run/..", "/etc", "run/../run", "nope", "")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> logdir.read(bad));
      assertTrue(e.getMessage().contains("no run '" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void symbolicLinksOutOfTheLogdirAreNotFollowed() throws IOException {
    Path outside = tmp.resolve("outside");
    writeRun(outside, 9);
    Path logdir = Files.createDirectories(tmp.resolve("logdir"));
    writeRun(logdir.resolve("own"), 1);
    Files.createSymbolicLink(logdir.resolve("linked"), outside);
    assertEquals(List.of("own"), Logdir.open(logdir.toString()).runs());
  }

  @Test
  void aRecordStillBeingWrittenIsWaitedForAndADamagedOneReported() throws IOException {
    SummaryWriter w = writeRun(tmp.resolve("cut"), 1, 2, 3);
    Path file = Path.of(URI.create(w.file()));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 5)); // the last record half-written
    Run cut = Logdir.open(tmp.toString()).read("cut");
    assertEquals(2, cut.scalars().get("loss").size());
    assertTrue(cut.problems().isEmpty(), cut.problems().toString());

    bytes[bytes.length - 10] ^= 0x40; // a flipped bit inside the last record's data
    Files.write(file, bytes);
    Run damaged = Logdir.open(tmp.toString()).read("cut");
    assertEquals(2, damaged.scalars().get("loss").size());
    assertEquals(1, damaged.problems().size());
    String p = damaged.problems().get(0);
    assertTrue(
        p.contains(file.getFileName().toString()) && p.contains("bad CRC") && p.contains("at byte"),
        p);
  }

  @Test
  void aResumedRunKeepsTheLaterValueOfAStepAndTheNewestGraph() throws IOException {
    Path run = tmp.resolve("resumed");
    writeRun(run, 5, 4, 3);
    SummaryWriter second = SummaryWriter.open(run.toString());
    second.addScalar("loss", 7, 3);
    second.addScalar("loss", 2, 4);
    second.close();
    Run r = Logdir.open(tmp.toString()).read("resumed");
    List<Float> values = r.scalars().get("loss").stream().map(Run.Scalar::value).toList();
    List<Long> steps = r.scalars().get("loss").stream().map(Run.Scalar::step).toList();
    assertEquals(List.of(1L, 2L, 3L, 4L), steps);
    assertEquals(List.of(5f, 4f, 7f, 2f), values);
    assertNotNull(r.graph());
  }

  @Test
  void aRunWithoutAGraphHasNone() throws IOException {
    try (SummaryWriter w = SummaryWriter.open(tmp.toString())) {
      w.addScalar("loss", 1, 1);
    }
    assertNull(Logdir.open(tmp.toString()).read(".").graph());
  }
}
