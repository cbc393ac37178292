package io.anygraph.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.GraphView;
import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial command prints the results the tutorial's snippets give in Python. */
class TutorialTest {
  @TempDir Path tmp;

  private static String runTutorial() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      assertEquals(0, Tutorial.run(out));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsEverySnippetsResult() throws IOException {
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
  void sectionsComeInTheTutorialsOrder() throws IOException {
    String out = runTutorial();
    int addition = out.indexOf("== addition, TensorFlow style");
    int gradient = out.indexOf("== automatic differentiation");
    int scopes = out.indexOf("== name scopes");
    assertTrue(addition >= 0 && addition < gradient && gradient < scopes, out);
  }

  @Test
  void theLogdirOptionWritesTheNameScopeGraphForTensorBoard() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String logdir = tmp.resolve("mytutorial_logs").toString();
    assertEquals(
        0,
        Tutorial.run(
            new String[] {"--logdir", logdir},
            new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    assertTrue(
        bytes.toString(StandardCharsets.UTF_8).contains("bin/anygraph board --logdir " + logdir));
    Run run = Logdir.open(logdir).read(".");
    List<String> names = run.graph().nodes().stream().map(GraphView.ViewNode::name).toList();
    assertEquals(List.of("a", "b", "addition/add"), names);
    assertEquals(List.of("a", "b"), run.graph().nodes().get(2).inputs());
    assertEquals(2, Tutorial.run(new String[] {"--logdir"}, new PrintStream(bytes)));
    assertEquals(2, Tutorial.run(new String[] {"--nope", "x"}, new PrintStream(bytes)));
  }

  @Test
  void unknownCommandIsAUsageError() throws Exception {
    assertEquals(2, Main.run(new String[] {"no-such-command"}));
    assertEquals(2, Main.run(new String[] {}));
  }
}
