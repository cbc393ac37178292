package io.anygraph.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.CommandRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example model gets the same options and behaviour from {@link TrainCommand}: the {@code
 * mnist} help is exactly what it was before the machinery was shared, and a model without data
 * files ({@link ToyModel}) gets the same options less {@code --data}, worded for its examples, the
 * same progress lines and a JSON summary with its own metric.
 */
class SharedOptionsTest {
  @TempDir Path tmp;

  @Test
  void mnistsHelpIsUnchangedButForTheOnnxExport() {
    CommandRun r = CommandRun.of("mnist", "--help");
    assertEquals(0, r.exit());
    assertEquals(
        String.join(
            "\n",
            "usage: anygraph mnist [options]",
            "trains the MNIST CNN on the shipped digits (--epochs N --json out.json)",
            "",
            "options:",
            "  --runner local|spark       where the graph runs (default local)",
            "  --devices N|LIST           --runner local: N logical devices or a list"
                + " (gpu:0,gpu:1), data parallel (default 1)",
            "  --master URL               --runner spark: Spark master (spark-submit's wins)"
                + " (default local[*])",
            "  --partitions N             --runner spark: blocks of training digits (default:"
                + " Spark's parallelism)",
            "  --epochs N                 passes over the training digits (default 10)",
            "  --steps N                  at most N steps per epoch (default: the whole epoch)",
            "  --batch N                  digits per training step (default 64)",
            "  --lr X                     Adam's learning rate (default 0.001)",
            "  --seed N                   seed of the initial weights and the shuffling"
                + " (default 1)",
            "  --data DIR                 folder (or Hadoop URI) of the IDX files (default:"
                + " shipped)",
            "  --json FILE                write the result summary there",
            "  --checkpoint DIR           save a checkpoint there after every epoch",
            "  --resume                   continue from the newest checkpoint in --checkpoint DIR",
            "  --force-resume             resume even if the checkpoint records other or no"
                + " options",
            "  --logdir DIR               write TensorBoard event files (graph, curves) there",
            "  --export-onnx FILE         after training, write the inference graph (features"
                + " -> prediction) as ONNX",
            "  --check-numerics           stop at the first node whose output holds NaN or"
                + " infinity",
            "  --exchange tree|sharded|ring|auto --runner spark: gradient exchange",
            "  --steps-per-job K          --runner spark --exchange ring: run K training steps per"
                + " Spark job",
            "  --verbose                  on failure, print the stack trace too",
            "  --help                     this help (also -h)",
            ""),
        r.out());
  }

  @Test
  void aModelWithoutDataFilesHasNoDataOptionAndItsOwnWords() {
    String help = TrainOptions.declare(new ToyModel()).help();
    assertTrue(help.startsWith("usage: anygraph toy [options]\n"), help);
    assertTrue(
        help.contains("  --batch N                  rows per training step (default 16)\n"), help);
    assertTrue(
        help.contains("  --epochs N                 passes over the training rows (default 2)\n"),
        help);
    assertFalse(help.contains("--data"), help);
    CommandFailure f =
        assertThrows(CommandFailure.class, () -> TrainOptions.parse(new ToyModel(), "--data", "x"));
    assertEquals("--data: unknown option (see anygraph toy --help)", f.getMessage());
    assertEquals(CommandFailure.USAGE, f.exitCode());
  }

  @Test
  void theSharedRefusalsApplyToEveryModel() {
    ToyModel toy = new ToyModel();
    assertEquals(
        "--devices: applies to --runner local",
        assertThrows(
                CommandFailure.class,
                () -> TrainOptions.parse(toy, "--runner", "spark", "--devices", "2"))
            .getMessage());
    assertEquals(
        "--resume: needs --checkpoint DIR",
        assertThrows(CommandFailure.class, () -> TrainOptions.parse(toy, "--resume")).getMessage());
    assertEquals(
        "--batch: 500 is more than the 200 training examples",
        assertThrows(
                CommandFailure.class,
                () ->
                    new Training<>(toy, TrainOptions.parse(toy, "--batch", "500"), quiet())
                        .run(ToyModel.rows(200, 1), ToyModel.rows(50, 2)))
            .getMessage());
  }

  @Test
  void theCommandTrainsAnyModelAndWritesItsMetricToTheJson() throws IOException {
    Path json = tmp.resolve("toy.json");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int rc =
        TrainCommand.run(
            new ToyModel(),
            new String[] {"--epochs", "3", "--json", json.toString()},
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, out);
    assertTrue(
        out.startsWith(
            "toy rows: 200 training and 50 test rows; runner local, 3 epochs of batch 16\n"),
        out);
    assertTrue(
        out.matches("(?s).*\nepoch 3/3  loss \\d\\.\\d{4}  toy accuracy \\d\\.\\d{4}  .*"), out);
    JsonNode r = new ObjectMapper().readTree(Files.readString(json));
    assertEquals("toy", r.get("command").asText());
    assertEquals(3, r.get("epochs").asInt());
    // 3 balanced classes: chance is 1/3; the argmax rule is linear, so training gets far above it
    assertTrue(r.get("toy_accuracy").asDouble() > 0.7, r.toString());
    assertFalse(r.has("test_accuracy"), r.toString());
    // the model's own report, after training: printed, and its fields in the JSON
    double heldOutLoss = r.get("held_out_loss").asDouble();
    assertTrue(heldOutLoss > 0 && heldOutLoss < Math.log(3), r.toString()); // ln 3: chance
    assertTrue(
        out.contains(String.format("toy: held-out loss %.4f on 50 rows%n", heldOutLoss)), out);
  }

  @Test
  void checkpointsRecordTheModelAndAResumeContinuesExactly() throws IOException {
    ToyModel toy = new ToyModel();
    String ckpt = tmp.resolve("ckpt").toString();
    Training.Result straight = train(toy, "--epochs", "2", "--seed", "3");
    train(toy, "--epochs", "1", "--seed", "3", "--checkpoint", ckpt);
    Training.Result resumed =
        train(toy, "--epochs", "2", "--seed", "3", "--checkpoint", ckpt, "--resume");
    assertEquals(straight.parameterChecksum(), resumed.parameterChecksum());
    CommandFailure f =
        assertThrows(
            CommandFailure.class,
            () -> train(toy, "--epochs", "3", "--seed", "4", "--checkpoint", ckpt, "--resume"));
    assertEquals(
        "--checkpoint "
            + ckpt
            + ": ckpt-26: was trained with --seed 3, this run has --seed 4 (--force-resume"
            + " overrides)",
        f.getMessage());
  }

  private static Training.Result train(ToyModel toy, String... args) throws IOException {
    return new Training<>(toy, TrainOptions.parse(toy, args), quiet())
        .run(ToyModel.rows(200, 1), ToyModel.rows(50, 2));
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }
}
