package io.anygraph.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.io.LocalDirectory;
import io.anygraph.examples.cli.CommandRun;
import io.anygraph.examples.cli.TinyMnist;
import io.anygraph.interop.onnx.proto.ModelProto;
import io.anygraph.interop.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code mnist --export-onnx FILE}: after training, the file holds the CNN from the images input to
 * the logits output, with the trained weights (those of the run's last checkpoint).
 */
class MnistOnnxExportTest {
  @TempDir Path tmp;

  @Test
  void theCommandExportsTheTrainedCnn() throws Exception {
    Path data = TinyMnist.write(tmp.resolve("digits"), 128, 32);
    Path ckpt = tmp.resolve("ckpt");
    Path file = tmp.resolve("out/mnist.onnx");
    CommandRun run =
        CommandRun.of(
            "mnist",
            "--data",
            data.toString(),
            "--epochs",
            "1",
            "--batch",
            "32",
            "--checkpoint",
            ckpt.toString(),
            "--export-onnx",
            file.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("ONNX model in " + file), run.out());

    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(file));
    assertEquals(
        List.of("images"), m.getGraph().getInputList().stream().map(i -> i.getName()).toList());
    assertEquals(1, m.getGraph().getOutputCount());
    assertFalse(
        m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Softmax")),
        "logits, not the loss's softmax");
    LocalDirectory dir = new LocalDirectory(ckpt);
    List<Long> steps = Checkpoint.steps(dir);
    Map<String, INDArray> trained = Checkpoint.read(dir, steps.get(steps.size() - 1));
    int compared = 0;
    for (TensorProto t : m.getGraph().getInitializerList()) {
      INDArray expected = trained.get(t.getName());
      if (expected == null) {
        continue; // a constant of the graph (shapes, axes), not a variable
      }
      float[] actual = new float[(int) expected.length()];
      ByteBuffer.wrap(t.getRawData().toByteArray())
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(actual);
      assertArrayEquals(expected.dup().data().asFloat(), actual, t.getName());
      compared++;
    }
    assertEquals(6, compared, "two conv layers and the dense layer, weights and bias each");
  }
}
