package io.anygraph.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What the command line prints besides a refusal's one line ({@link RefusalsTest}): every command's
 * help ({@code --help}, {@code -h}, {@code help CMD}) on stdout with exit 0, and with {@code
 * --verbose} the stack trace after the refusal's line.
 */
class CommandLineTest {
  @Test
  void helpForEveryCommandAndTheCommandList() {
    CommandRun list = CommandRun.of("-h");
    assertEquals(0, list.exit());
    for (String command :
        new String[] {
          "tutorial",
          "mnist",
          "resnet",
          "charlm",
          "transformer",
          "recommender",
          "explain",
          "score-mnist",
          "bench",
          "board",
          "submit"
        }) {
      assertTrue(list.out().contains("\n  " + command + " "), command + " in\n" + list.out());
      for (String[] ask :
          new String[][] {{command, "--help"}, {command, "-h"}, {"help", command}}) {
        CommandRun r = CommandRun.of(ask);
        assertEquals(0, r.exit(), String.join(" ", ask));
        assertTrue(r.out().startsWith("usage: anygraph " + command), r.out());
        assertEquals("", r.err());
      }
    }
    String mnist = CommandRun.of("mnist", "--help").out();
    assertTrue(
        mnist.contains("\n  --lr X                     Adam's learning rate (default 0.001)\n"),
        mnist);
    assertTrue(mnist.contains("\n  --check-numerics "), mnist);
  }

  @Test
  void verbosePrintsTheStackTraceAfterTheLine() {
    CommandRun r = CommandRun.of("mnist", "--lr", "NaN", "--verbose");
    assertEquals(2, r.exit());
    assertTrue(
        r.err()
            .startsWith(
                "anygraph mnist: --lr: needs a finite number above 0, not 'NaN'\n"
                    + CommandFailure.class.getName()),
        r.err());
    assertTrue(r.err().contains("\tat "), r.err());
  }
}
