package io.anygraph.spark.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** A model through plain Java serialization, as Spark's default JavaSerializer writes it. */
class GraphModelJavaSerializationTest {
  private static GraphModel model() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    var w = g.shared(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}), "w");
    g.withName("y").matmul(x, w);
    try (Session s = new Session(g)) {
      return GraphModel.of(s);
    }
  }

  private static Object javaRoundTrip(Object o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  @Test
  void aModelComesBackWithItsGraphAndValues() throws Exception {
    GraphModel model = model();
    GraphModel back = (GraphModel) javaRoundTrip(model);
    assertEquals(model.id(), back.id());
    assertEquals(model.values(), back.values());
    // [1, 1] x [[1, 2], [3, 4]] = [4, 6], by hand
    Graph g = back.graph();
    try (Session s = new Session(g)) {
      back.values().forEach((name, v) -> s.setVariableValue((Variable) g.tensor(name), v));
      assertEquals(
          Nd4j.createFromArray(new float[][] {{4, 6}}),
          s.run(g.tensor("y"), Map.of("x", Nd4j.createFromArray(new float[][] {{1, 1}}))));
    }
  }

  @Test
  void corruptBytesFailNamingTheModel() {
    byte[] bytes = model().toBytes();
    // the values' hash ends the bytes (2-byte length + 64 hex digits); the last .npy is before it:
    // w's last float, 4.0f, little-endian 00 00 80 40 -> flip a bit of its top byte
    int top = bytes.length - 66 - 1;
    assertEquals(0x40, bytes[top]);
    bytes[top] ^= 1;
    AnygraphException e = assertThrows(AnygraphException.class, () -> GraphModel.fromBytes(bytes));
    assertTrue(
        e.getMessage().contains("variable values of model")
            && e.getMessage().contains("arrived corrupt"),
        e.getMessage());
    byte[] cut = Arrays.copyOf(model().toBytes(), 100);
    e = assertThrows(AnygraphException.class, () -> GraphModel.fromBytes(cut));
    assertTrue(
        e.getMessage().contains("arrived corrupt"), e.getMessage()); // cut inside the graph file
  }
}
