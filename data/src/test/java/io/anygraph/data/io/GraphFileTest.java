package io.anygraph.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GraphFileTest {
  @TempDir Path tmp;

  /** A small training graph: scopes, a device, constants, random init, shared var, Adam. */
  private static Graph model() {
    Graph g = new Graph();
    g.setSeed(5);
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "x");
    Tensor y;
    try (Scope s = g.nameScope("dense");
        Scope d = g.device("cpu:0")) {
      Variable w = g.variable(g.random().normal(DType.FLOAT32, Shape.of(4, 2), 0, 0.5), "w");
      Variable b = g.shared(Nd4j.createFromArray(0.1f, -0.1f), "b");
      y = x.matmul(w).add(b);
    }
    Tensor loss = g.withName("loss").identity(y.square().mean());
    new Adam(0.01).minimize(loss);
    return g;
  }

  private static final float[][] X = {{1, 2, 3, 4}, {-1, 0.5f, 0, 2}};

  private static List<INDArray> trainTwoSteps(Graph g) {
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      Tensor step = g.tensor("Adam/step");
      s.run(step, Map.of("x", X));
      s.run(step, Map.of("x", X));
      return s.run(List.of(g.tensor("loss"), g.tensor("dense/w")), Map.of("x", X));
    }
  }

  @Test
  void roundTripKeepsNamesTypesAndBehaviour() throws IOException {
    Graph g = model();
    g.save(tmp.resolve("model"));
    assertTrue(Files.exists(tmp.resolve("model/graph.json")));
    Graph back = Graph.load(tmp.resolve("model"));
    assertEquals(g.size(), back.size());
    for (int i = 0; i < g.size(); i++) {
      var a = g.nodes().get(i);
      var b = back.nodes().get(i);
      assertEquals(
          List.of(a.name(), a.op(), a.outputs(), a.device()),
          List.of(b.name(), b.op(), b.outputs(), b.device()));
    }
    assertEquals(g.variables().size(), back.variables().size());
    assertEquals(trainTwoSteps(g), trainTwoSteps(back), "same seeds, same training numbers");
  }

  @Test
  void tensorsAreNumPyFilesAndJsonNamesOpsNotClasses() throws IOException {
    model().save(tmp.resolve("m"));
    String json = Files.readString(tmp.resolve("m/graph.json"));
    assertTrue(json.contains("\"op\" : \"matmul\""), json.substring(0, 200));
    assertFalse(json.contains("io.anygraph"), "no Java class names");
    try (var files = Files.list(tmp.resolve("m/tensors"))) {
      assertTrue(files.allMatch(p -> p.toString().endsWith(".npy")));
    }
  }

  @Test
  void floorDivisionOpsRoundTripByName() throws IOException {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT32, Shape.of(-1), "a");
    Tensor b = g.constant(Nd4j.createFromArray(2, -2, 3), "b");
    g.withName("quotient").floorDiv(a, b);
    g.withName("remainder").floorMod(a, b);
    g.save(tmp.resolve("floor"));
    assertTrue(Files.readString(tmp.resolve("floor/graph.json")).contains("\"op\" : \"floorMod\""));
    Graph back = Graph.load(tmp.resolve("floor"));
    try (Session s = new Session(back)) {
      Map<String, int[]> feed = Map.of("a", new int[] {-7, -7, 7});
      assertEquals(Nd4j.createFromArray(-4, 3, 2), s.run(back.tensor("quotient"), feed));
      assertEquals(Nd4j.createFromArray(1, -1, 1), s.run(back.tensor("remainder"), feed));
    }
  }

  @Test
  void unknownOpTamperedShapeAndCorruptTensorAreRejected() throws IOException {
    Graph g = model();
    Path dir = tmp.resolve("m");
    g.save(dir);
    Path manifest = dir.resolve("graph.json");
    String json = Files.readString(manifest);

    Files.writeString(
        manifest, json.replaceFirst("\"op\" : \"matmul\"", "\"op\" : \"frobnicate\""));
    String m = assertThrows(AnygraphException.class, () -> Graph.load(dir)).getMessage();
    assertTrue(m.contains("unknown op 'frobnicate'") && m.contains("'dense/matmul'"), m);

    Files.writeString(manifest, json.replace("\"shape\" : [ -1, 4 ]", "\"shape\" : [ -1, 5 ]"));
    assertThrows(AnygraphException.class, () -> Graph.load(dir));

    Files.writeString(manifest, json.substring(0, json.length() / 2));
    m = assertThrows(AnygraphException.class, () -> Graph.load(dir)).getMessage();
    assertTrue(m.contains("not valid JSON"), m);

    Files.writeString(manifest, json);
    Path t = dir.resolve("tensors/0.npy");
    byte[] bytes = Files.readAllBytes(t);
    bytes[bytes.length - 1] ^= 1;
    Files.write(t, bytes);
    m = assertThrows(AnygraphException.class, () -> Graph.load(dir)).getMessage();
    assertTrue(m.contains("checksum"), m);
  }

  @Test
  void savingReplacesAtomicallyAndLeavesNoTemporaries() throws IOException {
    Graph small = new Graph();
    small.placeholder(DType.INT8, "a");
    Path dir = tmp.resolve("g");
    model().save(dir);
    small.save(dir);
    assertEquals(1, Graph.load(dir).size());
    try (var entries = Files.list(tmp)) {
      assertEquals(List.of("g"), entries.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void newerFormatVersionsAreRefused() throws IOException {
    Path dir = tmp.resolve("v");
    model().save(dir);
    Path manifest = dir.resolve("graph.json");
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"version\" : 1", "\"version\" : 2"));
    String m = assertThrows(AnygraphException.class, () -> Graph.load(dir)).getMessage();
    assertTrue(m.contains("version 2"), m);
  }
}
