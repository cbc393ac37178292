package io.anygraph.examples.train;

import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.interop.onnx.OnnxExport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** {@code --export-onnx FILE}: the trained model's inference graph, features → prediction. */
final class OnnxFile {
  private OnnxFile() {}

  /** Writes the model with the session's trained weights and says what its input and output are. */
  static void write(Session sess, ModelGraph model, Path file, PrintStream out) {
    try {
      OnnxExport.write(sess, List.of(model.prediction()), file);
    } catch (IOException e) {
      throw new UncheckedIOException("--export-onnx " + file + ": " + e.getMessage(), e);
    }
    Tensor in = model.features();
    Tensor prediction = model.prediction();
    out.printf(
        "ONNX model in %s: input '%s' %s, output '%s' %s%n",
        file, in.node().name(), in.type(), prediction.node().name(), prediction.type());
  }
}
