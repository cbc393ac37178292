package io.anygraph.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code explain mnist --runner spark}: the plan, the exchange forecast and what would run. */
class ExplainCommandTest {
  @Test
  void onSparkTheForecastNamesTheSizesAndRefusesARingThatCannotBeScheduled() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {
              "explain",
              "mnist",
              "--runner",
              "spark",
              "--master",
              "local[2]",
              "--partitions",
              "3",
              "--exchange",
              "ring"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
    // the CNN: conv1 5·5·1·8 + 8, conv2 5·5·8·16 + 16, dense 784·10 + 10 = 11274 float32
    // parameters (45096 bytes); the gradients add the loss's partial sum: 45100 bytes
    assertTrue(
        text.contains(
            "Exchange forecast: B = 45100 bytes of gradients, P = 45096 bytes of parameters,"
                + " N = 3 tasks"),
        text);
    assertTrue(text.contains("Stage 1: worker"), text);
    assertTrue(
        text.contains("ring     cannot run: the ring's barrier stage needs its 3 tasks"), text);
    assertTrue(text.contains("--exchange ring on local[2]: refused: "), text);
    assertTrue(text.contains("auto chooses "), text);
  }
}
