package io.anygraph.core.io;

import io.anygraph.core.ArrayZoo;
import io.anygraph.core.ArrayZoo.Specimen;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.Graph;
import io.anygraph.core.GraphFile;
import io.anygraph.core.Variable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every core format that stores arrays gives back exactly what it was given, for every dtype and
 * every layout of {@link ArrayZoo} (ordinary, permuted as ND4J mislabels it, sliced at an offset,
 * rank 0, empty).
 */
class ArrayRoundTripTest {
  static Stream<Specimen> specimens() {
    return ArrayZoo.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void npyBytes(Specimen s) throws IOException {
    byte[] bytes = Npy.toBytes(s.array());
    ArrayZoo.assertHolds(s, Npy.read(new ByteArrayInputStream(bytes), "a.npy", s.dtype()), "Npy");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void npyStream(Specimen s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(s.array(), out);
    ArrayZoo.assertHolds(
        s, Npy.read(new ByteArrayInputStream(out.toByteArray()), "a.npy", null), "Npy.write");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void checkpoint(Specimen s) throws IOException {
    Directory dir = new MemoryDirectory();
    Map<String, INDArray> values = new LinkedHashMap<>();
    values.put("v", s.array());
    Checkpoint.save(values, dir, 3);
    ArrayZoo.assertHolds(s, Checkpoint.read(dir, 3).get("v"), "Checkpoint");
  }

  /** Constants keep their value as an attribute; shared variables their initial value. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void graphFileConstantsAndSharedVariables(Specimen s) throws IOException {
    Graph g = new Graph();
    g.constant(s.array(), "c");
    Variable v = g.shared(s.array(), "v");
    Directory parent = new MemoryDirectory();
    GraphFile.save(g, parent, "g");
    Graph back = GraphFile.read(parent.child("g"));
    ArrayZoo.assertHolds(s, back.node("c").attrs().getArray("value"), "GraphFile constant");
    ArrayZoo.assertHolds(
        s,
        back.node(v.node().name()).attrs().getArray("initialValue"),
        "GraphFile shared variable");
  }
}
