package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/anygraph} run from another folder: relative paths in options mean the caller's folder
 * although Java starts in the repository root, and a refusal is one line.
 */
class LauncherIT {
  @TempDir Path tmp;

  private record Ran(int exit, String output) {}

  private Ran anygraph(String... args) throws Exception {
    Path root = StandaloneCluster.projectRoot();
    Path log = tmp.resolve("launcher.log");
    List<String> cmd =
        Stream.concat(Stream.of(root.resolve("bin/anygraph").toString()), Stream.of(args)).toList();
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("ANYGRAPH_NO_BUILD", "1");
    Process p = pb.start();
    assertTrue(
        p.waitFor(5, TimeUnit.MINUTES), "bin/anygraph " + String.join(" ", args) + " timed out");
    return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void relativePathsMeanTheCallersFolder() throws Exception {
    Ran r = anygraph("tutorial", "--logdir", "logs/x");
    assertEquals(0, r.exit(), r.output());
    try (Stream<Path> files = Files.list(tmp.resolve("logs/x"))) {
      assertTrue(
          files.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents")),
          "event files in the caller's logs/x");
    }
    assertFalse(
        Files.exists(StandaloneCluster.projectRoot().resolve("logs/x")), "nothing in the checkout");
  }

  @Test
  void aRefusalIsOneLine() throws Exception {
    Ran r = anygraph("board", "--logdir", "no-such-logs");
    assertEquals(1, r.exit(), r.output());
    assertEquals(
        "anygraph board: --logdir " + tmp.resolve("no-such-logs") + ": no such folder\n",
        r.output());
  }
}
