package io.anygraph.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.board.GraphView;
import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.Run;
import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.examples.train.TrainCommand;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.Training;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short trainings on the shipped digits: learning happens, seeds repeat, resuming is exact. */
class MnistTrainingTest {
  private static Dataset train;
  private static Dataset test;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    Mnist mnist = Mnist.load(Mnist.defaultDir());
    train = mnist.train().take(2048);
    test = mnist.test().take(500);
  }

  private static TrainOptions options(String... args) {
    return MnistExample.options(args);
  }

  private static Training.Result train(TrainOptions o) throws IOException {
    return new Training<>(new MnistExample(), o, new PrintStream(new ByteArrayOutputStream()))
        .run(train, test);
  }

  @Test
  void twoEpochsOnTwoThousandDigitsLearnTheTask() throws IOException {
    Training.Result r = train(options("--epochs", "2", "--seed", "3"));
    // chance is 10%; a working CNN gets well above 80% even from this little data
    assertTrue(r.metric() > 0.8, "accuracy " + r.metric());
    assertTrue(r.finalLoss() < 1.5, "loss " + r.finalLoss()); // chance is ln 10 = 2.3
    assertTrue(r.trainSamplesPerSecond() > 0);
  }

  @Test
  void theSameSeedGivesTheSameParametersAndAnotherSeedDoesNot() throws IOException {
    Training.Result a = train(options("--epochs", "1", "--seed", "5"));
    Training.Result b = train(options("--epochs", "1", "--seed", "5"));
    Training.Result c = train(options("--epochs", "1", "--seed", "6"));
    assertEquals(a.parameterChecksum(), b.parameterChecksum());
    assertEquals(a.finalLoss(), b.finalLoss());
    assertNotEquals(a.parameterChecksum(), c.parameterChecksum());
  }

  @Test
  void resumingFromAnEpochCheckpointContinuesExactly() throws IOException {
    String ckpt = tmp.resolve("ckpt").toUri().toString();
    Training.Result straight = train(options("--epochs", "2", "--seed", "7"));
    train(options("--epochs", "1", "--seed", "7", "--checkpoint", ckpt));
    Training.Result resumed =
        train(options("--epochs", "2", "--seed", "7", "--checkpoint", ckpt, "--resume"));
    assertEquals(straight.parameterChecksum(), resumed.parameterChecksum());
    assertEquals(straight.metric(), resumed.metric());
  }

  @Test
  void theCommandWritesItsJsonSummary() throws IOException {
    Path json = tmp.resolve("out/result.json");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int rc =
        TrainCommand.run(
            new MnistExample(),
            new String[] {"--epochs", "1", "--json", json.toString()},
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(0, rc);
    JsonNode r = new ObjectMapper().readTree(Files.readString(json));
    assertEquals("local", r.get("runner").asText());
    assertTrue(r.get("test_accuracy").asDouble() > 0.9, r.toString());
    assertEquals(64, r.get("parameter_sha256").asText().length());
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("epoch 1/1"));
  }

  @Test
  void theLogdirGetsTheTrainingGraphAndItsCurves() throws IOException {
    String logdir = tmp.resolve("logs").toString();
    Training.Result r = train(options("--epochs", "1", "--batch", "256", "--logdir", logdir));
    Run run = Logdir.open(logdir).read(".");
    List<String> names = run.graph().nodes().stream().map(GraphView.ViewNode::name).toList();
    assertTrue(
        names.contains("conv1/weights") && names.contains("loss/reduceMean"), names.toString());
    assertTrue(names.stream().anyMatch(n -> n.startsWith("gradients/conv1")), names.toString());
    List<Run.Scalar> loss = run.scalars().get("loss");
    assertEquals(2048 / 256, loss.size()); // one point per step
    assertEquals(
        List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), loss.stream().map(Run.Scalar::step).toList());
    // the mean of the steps' losses (equal batches) is the epoch's loss
    double mean = loss.stream().mapToDouble(Run.Scalar::value).average().orElseThrow();
    assertEquals(r.finalLoss(), mean, 1e-6);
    Run.Scalar accuracy = run.scalars().get("epoch/test_accuracy").get(0);
    assertEquals(8, accuracy.step());
    assertEquals(r.metric(), accuracy.value(), 1e-6);
  }

  @Test
  void badOptionsAreUsageErrors() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> options("--epochs", "0"));
    assertThrows(IllegalArgumentException.class, () -> options("--epochs"));
    assertThrows(IllegalArgumentException.class, () -> options("--nope", "1"));
    assertThrows(IllegalArgumentException.class, () -> options("--runner", "mars"));
    assertThrows(IllegalArgumentException.class, () -> options("--resume"));
    assertThrows(IllegalArgumentException.class, () -> options("--logdir"));
    assertEquals(
        2,
        TrainCommand.run(
            new MnistExample(),
            new String[] {"--lr", "fast"},
            new PrintStream(new ByteArrayOutputStream())));
  }
}
