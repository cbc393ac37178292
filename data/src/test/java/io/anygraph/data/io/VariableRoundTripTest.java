package io.anygraph.data.io;

import io.anygraph.core.ArrayZoo;
import io.anygraph.core.ArrayZoo.Specimen;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.MemoryDirectory;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A variable's value survives the session's variable store and a checkpoint exactly, whether it was
 * set directly or assigned in the graph, for every dtype and layout of {@link ArrayZoo} (permuted
 * as ND4J mislabels it, sliced at an offset, rank 0, empty).
 */
class VariableRoundTripTest {
  static Stream<Specimen> specimens() {
    return ArrayZoo.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void setValueCheckpointedAndRestored(Specimen s) throws IOException {
    Graph g = new Graph();
    Variable v = g.shared(Nd4j.create(s.dtype().nd4j(), s.shape()), "v");
    Directory dir = new MemoryDirectory();
    try (Session sess = new Session(g)) {
      sess.setVariableValue(v, s.array());
      ArrayZoo.assertHolds(s, sess.variableValue(v), "variable store");
      Checkpoint.save(sess, dir, 1, 1);
    }
    ArrayZoo.assertHolds(s, Checkpoint.read(dir, 1).get("v"), "checkpoint file");
    try (Session restored = new Session(g)) {
      Checkpoint.restoreLatest(restored, dir);
      ArrayZoo.assertHolds(s, restored.variableValue(v), "restored variable");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void assignedValueCheckpointed(Specimen s) throws IOException {
    Graph g = new Graph();
    Variable v = g.shared(Nd4j.create(s.dtype().nd4j(), s.shape()), "v");
    Tensor x = g.placeholder(s.dtype(), Shape.of(s.shape()), "x");
    Tensor assign = g.ops().assign(v, x);
    Directory dir = new MemoryDirectory();
    try (Session sess = new Session(g)) {
      ArrayZoo.assertHolds(s, sess.run(assign, Map.of(x, s.array())), "assign's result");
      ArrayZoo.assertHolds(s, sess.variableValue(v), "assigned variable");
      Checkpoint.save(sess, dir, 1, 1);
    }
    ArrayZoo.assertHolds(s, Checkpoint.read(dir, 1).get("v"), "checkpoint of assigned value");
  }
}
