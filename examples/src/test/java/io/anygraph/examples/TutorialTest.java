package io.anygraph.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tutorial command prints the results the tutorial's snippets give in Python. */
class TutorialTest {
  private static String runTutorial() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      assertEquals(0, Tutorial.run(out));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsEverySnippetsResult() {
    String out = runTutorial();
    String[] expected = {
        "sess.run(a + b) = 42 (int8)", // tf.int8 placeholders
        "f(10, 32) = 42 (int32)", // th.iscalar
        "f(2) = 4.0 (float64)", // d(a^2)/da at a = 2
        "z.eval({a: 10, b: 32}) = 42.0 (float64)",
        "nodes = [a, b, addition]",
        "addition(10, 32) = 42 (int32)",
        "nodes = [a, b, addition/add]",
        "sess.run(z) on 2 images = float32[2, 28, 28, 3]", // conv2d SAME keeps 28x28
        "f(2 images) = float64[2, 3, 24, 24]", // Theano valid: 28 - 5 + 1
    };
    for (String e : expected) {
      assertTrue(out.contains(e), "missing '" + e + "' in:\n" + out);
    }
  }

  @Test
  void sectionsComeInTheTutorialsOrder() {
    String out = runTutorial();
    int addition = out.indexOf("== addition, TensorFlow style");
    int gradient = out.indexOf("== automatic differentiation");
    int scopes = out.indexOf("== name scopes");
    assertTrue(addition >= 0 && addition < gradient && gradient < scopes, out);
  }

  @Test
  void unknownCommandIsAUsageError() throws Exception {
    assertEquals(2, Main.run(new String[] {"no-such-command"}));
    assertEquals(2, Main.run(new String[] {}));
  }
}
