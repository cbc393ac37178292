package io.anygraph.examples.mnist;

import io.anygraph.core.Session;
import io.anygraph.interop.onnx.OnnxExport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** {@code mnist --export-onnx FILE}: the trained CNN's inference graph, images → logits. */
final class MnistOnnx {
  private MnistOnnx() {}

  /** Writes the model with the session's trained weights and says what its input and output are. */
  static void write(Session sess, MnistCnn model, Path file, PrintStream out) {
    try {
      OnnxExport.write(sess, List.of(model.logits), file);
    } catch (IOException e) {
      throw new UncheckedIOException("--export-onnx " + file + ": " + e.getMessage(), e);
    }
    out.printf(
        "ONNX model in %s: input '%s' float32 [batch, 784] in [0, 1], output '%s' logits [batch,"
            + " 10]%n",
        file, model.images.node().name(), model.logits.node().name());
  }
}
