package io.anygraph.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.interop.onnx.proto.ModelProto;
import io.anygraph.interop.onnx.proto.TensorShapeProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What OnnxExport writes (inputs, initializers, outputs) and what it refuses to write. */
class OnnxExportTest {
  @TempDir Path dir;

  /** y = x w + b with w, b variables. */
  private static final class Dense {
    final Graph g = new Graph();
    final Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    final Variable w =
        g.variable(g.constant(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}})), "w");
    final Variable b = g.variable(g.constant(Nd4j.createFromArray(0.5f, -0.5f)), "b");
    final Tensor y = g.withName("y").add(x.matmul(w), b);
  }

  @Test
  void writesInputsWithSymbolicDimsInitializersAndOutputs() throws Exception {
    Dense d = new Dense();
    Path file = dir.resolve("dense.onnx");
    try (Session s = new Session(d.g)) {
      s.initializeAllVariables();
      s.setVariableValue(d.w, Nd4j.createFromArray(new float[][] {{1, 0}, {0, 2}}));
      OnnxExport.write(s, List.of(d.y), file);
    }
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(file));
    assertEquals(OnnxExport.OPSET, m.getOpsetImport(0).getVersion());
    assertEquals(1, m.getGraph().getInputCount());
    assertEquals("x", m.getGraph().getInput(0).getName());
    List<TensorShapeProto.Dimension> dims =
        m.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
    assertEquals("x_d0", dims.get(0).getDimParam());
    assertEquals(2, dims.get(1).getDimValue());
    assertEquals("y", m.getGraph().getOutput(0).getName());
    assertEquals(
        List.of("w", "b"),
        m.getGraph().getInitializerList().stream().map(t -> t.getName()).toList());
    // the session's current value of w, not its initial value: [[1, 0], [0, 2]] x + b
    INDArray out =
        OnnxRuntimeOracle.run(
                Files.readAllBytes(file),
                Map.of("x", Nd4j.createFromArray(new float[][] {{1, 1}, {2, 3}, {0, 0}})))
            .get(0);
    assertArrayEquals(new float[] {1.5f, 1.5f, 2.5f, 5.5f, 0.5f, -0.5f}, out.data().asFloat());
  }

  @Test
  void variableValuesMayComeFromACheckpointsMap() throws Exception {
    Dense d = new Dense();
    Path file = dir.resolve("dense.onnx");
    Map<String, INDArray> values =
        Map.of(
            "w", Nd4j.createFromArray(new float[][] {{0, 1}, {1, 0}}),
            "b", Nd4j.createFromArray(10f, 20f));
    OnnxExport.write(d.g, values, List.of(d.y), null, file);
    INDArray out =
        OnnxRuntimeOracle.run(
                Files.readAllBytes(file), Map.of("x", Nd4j.createFromArray(new float[][] {{1, 2}})))
            .get(0);
    assertArrayEquals(new float[] {12f, 21f}, out.data().asFloat());
  }

  @Test
  void sharedVariablesExportFromTheGraphsOwnSession() throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(3), "x");
    Variable scale = g.shared(Nd4j.createFromArray(2f, 3f, 4f), "scale");
    Tensor y = x.mul(scale);
    scale.setValue(Nd4j.createFromArray(-1f, 0f, 1f));
    Path file = dir.resolve("shared.onnx");
    OnnxExport.write(g, List.of(y), file);
    INDArray out =
        OnnxRuntimeOracle.run(
                Files.readAllBytes(file), Map.of("x", Nd4j.createFromArray(5f, 6f, 7f)))
            .get(0);
    assertArrayEquals(new float[] {-5f, 0f, 7f}, out.data().asFloat());
  }

  @Test
  void feedsCutTheGraph() throws Exception {
    Dense d = new Dense();
    Tensor h = d.g.withName("h").matmul(d.x, d.w);
    Tensor z = d.g.nn().relu(h);
    try (Session s = new Session(d.g)) {
      s.initializeAllVariables();
      ModelProto m = OnnxExport.model(s, List.of(z), List.of(h));
      assertEquals(
          List.of("h"), m.getGraph().getInputList().stream().map(i -> i.getName()).toList());
      assertEquals(0, m.getGraph().getInitializerCount(), "w is above the cut");
      INDArray out =
          OnnxRuntimeOracle.run(
                  m.toByteArray(), Map.of("h", Nd4j.createFromArray(new float[][] {{-1, 2}})))
              .get(0);
      assertArrayEquals(new float[] {0f, 2f}, out.data().asFloat());
    }
  }

  @Test
  void trainingOpsUnmappedOpsAndMissingFeedsFailNamingTheNodesAndWriteNothing() throws Exception {
    Dense d = new Dense();
    Tensor loss = d.y.square().mean();
    Tensor train = new GradientDescent(0.1).minimize(loss);
    Tensor noisy = d.g.nn().dropout(d.y, 0.5, 1L);
    Path file = dir.resolve("model.onnx");
    Files.writeString(file, "the previous model");
    try (Session s = new Session(d.g)) {
      s.initializeAllVariables();
      OnnxExportException e =
          assertThrows(OnnxExportException.class, () -> OnnxExport.write(s, List.of(train), file));
      assertTrue(e.getMessage().contains("(assign)"), e.getMessage());
      assertTrue(e.getMessage().contains("training only"), e.getMessage());
      e = assertThrows(OnnxExportException.class, () -> OnnxExport.write(s, List.of(noisy), file));
      assertTrue(
          e.getMessage().contains("(randomUniformLike)")
              && e.getMessage().contains("no ONNX mapping"),
          e.getMessage());
      e =
          assertThrows(
              OnnxExportException.class,
              () -> OnnxExport.write(s, List.of(d.y), List.of(d.w), file));
      assertTrue(e.getMessage().contains("'x' (placeholder)"), e.getMessage());
    }
    try (Session fresh = new Session(d.g)) {
      OnnxExportException e =
          assertThrows(
              OnnxExportException.class, () -> OnnxExport.write(fresh, List.of(d.y), file));
      assertTrue(e.getMessage().contains("'w' (variable)"), e.getMessage());
    }
    assertEquals("the previous model", Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void aFetchedPlaceholderOrVariableIsCopiedToAnOutput() throws Exception {
    Dense d = new Dense();
    try (Session s = new Session(d.g)) {
      s.initializeAllVariables();
      byte[] m = OnnxExport.model(s, List.of(d.x, d.b), null).toByteArray();
      List<INDArray> out =
          OnnxRuntimeOracle.run(m, Map.of("x", Nd4j.createFromArray(new float[][] {{7, 8}})));
      assertArrayEquals(new float[] {7f, 8f}, out.get(0).data().asFloat());
      assertArrayEquals(new float[] {0.5f, -0.5f}, out.get(1).data().asFloat());
      assertFalse(out.isEmpty());
    }
  }
}
