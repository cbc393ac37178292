package io.anygraph.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.train.Training;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code mnist --check-numerics}: a NaN pixel stops training at the node that first holds it. */
class CheckNumericsTrainingTest {
  private static Dataset poisoned;
  private static Dataset test;

  @BeforeAll
  static void load() throws IOException {
    Mnist mnist = Mnist.load(Mnist.defaultDir());
    Dataset clean = mnist.train().take(128);
    INDArray pixels = clean.features().dup();
    for (int row = 0; row < 128; row++) {
      pixels.putScalar(row, 300, Float.NaN); // in every digit: whatever the shuffle, step 1 sees it
    }
    poisoned = new Dataset(pixels, clean.labels());
    test = mnist.test().take(50);
  }

  private static Training.Result train(String... args) throws IOException {
    return new Training<>(
            new MnistExample(),
            MnistExample.options(args),
            new PrintStream(new ByteArrayOutputStream()))
        .run(poisoned, test);
  }

  @Test
  void theFirstNodeHoldingNanIsNamedAndTrainingStops() {
    CommandFailure f =
        assertThrows(CommandFailure.class, () -> train("--epochs", "1", "--check-numerics"));
    assertEquals(CommandFailure.FAILED, f.exitCode());
    // the fed placeholder is the first node whose output holds the NaN
    assertEquals(
        "--check-numerics: node 'images' (op placeholder) produced NaN in its output,"
            + " float32[64, 784] at step 1",
        f.getMessage());
  }

  @Test
  void onSparkTheFailedJobStillNamesTheNode() {
    // the check runs inside a Spark task on each partition's rows; the driver digs the
    // NumericsException out of the job's failure
    CommandFailure f =
        assertThrows(
            CommandFailure.class,
            () ->
                train(
                    "--epochs",
                    "1",
                    "--check-numerics",
                    "--runner",
                    "spark",
                    "--master",
                    "local[2]"));
    assertEquals(CommandFailure.FAILED, f.exitCode());
    assertTrue(
        f.getMessage()
            .matches(
                "--check-numerics: node '[^']*images[^']*' \\(op [a-zA-Z]+\\) produced NaN in its"
                    + " output, float32\\[\\d+, 784\\] at step 1"),
        f.getMessage());
  }

  @Test
  void withoutTheChecksTheNanFlowsIntoTheLoss() throws IOException {
    Training.Result r = train("--epochs", "1");
    assertTrue(Double.isNaN(r.finalLoss()), "loss " + r.finalLoss());
  }
}
