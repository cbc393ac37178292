package io.anygraph.interop.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.anygraph.board.events.proto.AttrValue;
import io.anygraph.board.events.proto.GraphDef;
import io.anygraph.board.events.proto.NodeDef;
import io.anygraph.board.events.proto.TensorShapeProto;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Import without TensorFlow: text GraphDefs, names, devices, control dependencies, failures. */
class TfImportTest {
  /** x + 2 as a text GraphDef, in a scope, on a device, after a control dependency. */
  static final String PBTXT =
      """
      node { name: "x" op: "Placeholder"
        attr { key: "dtype" value { type: DT_FLOAT } }
        attr { key: "shape" value { shape { dim { size: -1 } dim { size: 3 } } } } }
      node { name: "layer1/two" op: "Const"
        attr { key: "dtype" value { type: DT_FLOAT } }
        attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 2 } } } }
      node { name: "layer1/first" op: "NoOp" }
      node { name: "layer1/add" op: "AddV2" input: "x" input: "layer1/two" input: "^layer1/first"
        device: "/job:worker/replica:0/task:0/device:GPU:1"
        attr { key: "T" value { type: DT_FLOAT } } }
      library { }
      versions { producer: 27 }
      """;

  @Test
  void textGraphKeepsNamesDevicesAndControlDependencies(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("add.pbtxt");
    Files.writeString(file, PBTXT);
    ImportedGraph tf = GraphDefs.importGraph(file);
    Graph g = tf.graph();
    Node add = g.node("layer1/add");
    assertEquals("gpu:1", add.device());
    assertEquals(List.of(g.node("layer1/first")), add.controlInputs());
    assertEquals(Shape.of(-1, 3), tf.placeholders().get("x").shape());
    assertEquals(DType.FLOAT32, tf.placeholders().get("x").dtype());
    INDArray x = Nd4j.createFromArray(new float[][] {{1, 2, 3}});
    try (Session s = new Session(g)) {
      INDArray y = s.run(tf.tensor("layer1/add:0"), Map.of(tf.tensor("x"), x));
      assertEquals(Nd4j.createFromArray(new float[][] {{3, 4, 5}}), y);
    }
  }

  @Test
  void anUnmappedOpFailsTheWholeImportNamingNodeOpAndConsumers() {
    GraphDef def =
        GraphDef.newBuilder()
            .addNode(placeholder("x"))
            .addNode(NodeDef.newBuilder().setName("act/erf").setOp("Erf").addInput("x"))
            .addNode(NodeDef.newBuilder().setName("out").setOp("Neg").addInput("act/erf"))
            .addNode(NodeDef.newBuilder().setName("out2").setOp("Exp").addInput("act/erf"))
            .build();
    GraphImportException e =
        assertThrows(
            GraphImportException.class, () -> GraphDefs.importGraph(def, Map.of(), List.of()));
    assertTrue(
        e.getMessage().contains("node 'act/erf' (Erf) used by 'out', 'out2'"), e.getMessage());
  }

  @Test
  void aBadAttributeNamesTheNodeAndItsInputs() {
    GraphDef def =
        GraphDef.newBuilder()
            .addNode(placeholder("x"))
            .addNode(
                NodeDef.newBuilder()
                    .setName("conv")
                    .setOp("Conv2D")
                    .addInput("x")
                    .addInput("x")
                    .putAttr("padding", AttrValue.newBuilder().setS(bytes("EXPLICIT")).build()))
            .build();
    GraphImportException e =
        assertThrows(
            GraphImportException.class, () -> GraphDefs.importGraph(def, Map.of(), List.of()));
    assertTrue(e.getMessage().startsWith("node 'conv' (Conv2D): padding EXPLICIT"), e.getMessage());
    assertTrue(e.getMessage().contains("x:0 float32[?, 3]"), e.getMessage());
  }

  @Test
  void variableValuesFromNpyReplaceTheInitializer(@TempDir Path dir) throws Exception {
    // w has an initializer op Anygraph cannot import (TruncatedNormal): with a value, it is skipped
    GraphDef def =
        GraphDef.newBuilder()
            .addNode(placeholder("x"))
            .addNode(
                NodeDef.newBuilder()
                    .setName("dense/w")
                    .setOp("VariableV2")
                    .putAttr("dtype", AttrValue.newBuilder().setTypeValue(1).build()))
            .addNode(NodeDef.newBuilder().setName("dense/w/init").setOp("TruncatedNormal"))
            .addNode(
                NodeDef.newBuilder()
                    .setName("dense/w/Assign")
                    .setOp("Assign")
                    .addInput("dense/w")
                    .addInput("dense/w/init"))
            .addNode(
                NodeDef.newBuilder().setName("dense/w/read").setOp("Identity").addInput("dense/w"))
            .addNode(
                NodeDef.newBuilder()
                    .setName("y")
                    .setOp("MatMul")
                    .addInput("x")
                    .addInput("dense/w/read"))
            .build();
    Files.createDirectories(dir.resolve("dense"));
    INDArray w = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 1}});
    Nd4j.writeAsNumpy(w, dir.resolve("dense/w.npy").toFile());
    Map<String, INDArray> values = GraphDefs.readNpyValues(dir);
    ImportedGraph tf = GraphDefs.importGraph(def, values, List.of());
    assertFalse(tf.has("dense/w/init"));
    assertEquals(List.of("dense/w"), List.copyOf(tf.variables().keySet()));
    try (Session s = new Session(tf.graph())) {
      s.initializeAllVariables();
      INDArray y =
          s.run(
              tf.tensor("y"),
              Map.of(tf.tensor("x"), Nd4j.createFromArray(new float[][] {{1, 2, 3}})));
      assertEquals(Nd4j.createFromArray(new float[][] {{4, 5}}), y);
    }
    // without the value, the same graph fails, naming the op it cannot import
    GraphImportException e =
        assertThrows(
            GraphImportException.class, () -> GraphDefs.importGraph(def, Map.of(), List.of()));
    assertTrue(
        e.getMessage().contains("node 'dense/w/init' (TruncatedNormal) used by 'dense/w/Assign'"),
        e.getMessage());
  }

  private static NodeDef.Builder placeholder(String name) {
    return NodeDef.newBuilder()
        .setName(name)
        .setOp("Placeholder")
        .putAttr("dtype", AttrValue.newBuilder().setTypeValue(1).build())
        .putAttr(
            "shape",
            AttrValue.newBuilder()
                .setShape(
                    TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(3)))
                .build());
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
