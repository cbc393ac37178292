package io.anygraph.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar on a terminal and plain lines elsewhere, on a clock the test moves. */
class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private long now;

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTerminalGetsABarWithStepsLossSpeedAndTheRunsEta() {
    // 2 epochs of 4 steps of 100 samples
    Progress p = new Progress(out, true, 2, 4, 400, "test accuracy", () -> now);
    now += 200_000_000L;
    p.step(1, 1, 100, 0.5, 50); // left: 300 in this epoch + 400 in the next = 700 at 50/s
    String s = printed();
    assertTrue(s.startsWith("\repoch 1/2 [======                  ] step 1/4"), s);
    assertTrue(s.contains("loss 0.5000") && s.contains("50 samples/s") && s.contains("ETA 14s"), s);
    now += 10_000_000L;
    p.step(1, 2, 200, 0.4, 50); // 10 ms later: not redrawn
    assertEquals(s, printed());
    now += 200_000_000L;
    p.step(1, 4, 400, 0.3, 50); // the last step: the epoch's line follows instead
    assertEquals(s, printed());
    p.epoch(1, 0.3, 0.9, 50);
    assertTrue(
        printed().endsWith("\r\033[Kepoch 1/2  loss 0.3000  test accuracy 0.9000  50 samples/s\n"),
        printed());
  }

  @Test
  void elsewhereAPlainLineEveryTenSeconds() {
    Progress p = new Progress(out, false, 3, 100, 6400, "test accuracy", () -> now);
    now += 1_000_000_000L;
    p.step(1, 5, 320, 1.25, 64);
    assertEquals("", printed()); // not yet ten seconds
    now += 10_000_000_000L;
    p.step(2, 11, 704, 1.0, 64); // left: 5696 + 6400 = 12096 samples at 64/s = 189 s
    assertEquals("epoch 2/3  step 11/100  loss 1.0000  64 samples/s  ETA 3m 09s\n", printed());
    p.epoch(2, 0.9, 0.95, 64);
    assertFalse(printed().contains("\r"), printed());
    assertTrue(printed().endsWith("epoch 2/3  loss 0.9000  test accuracy 0.9500  64 samples/s\n"));
  }

  @Test
  void durationsReadLikeAClock() {
    assertEquals("0s", Progress.duration(0.2));
    assertEquals("59s", Progress.duration(59));
    assertEquals("1m 00s", Progress.duration(60));
    assertEquals("59m 59s", Progress.duration(3599));
    assertEquals("2h 05m", Progress.duration(7500));
  }
}
