package io.anygraph.interop.tf;

import static io.anygraph.interop.tf.TfCase.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.interop.tf.TfOracle.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/** Variables (reference and resource), an update, an init op, and random initializers. */
class TfStateTest {
  @Test
  void referenceAndResourceVariablesInitializeReadAndUpdateAsInTensorFlow() {
    try (TfOracle tf = new TfOracle()) {
      Output<?> x = tf.input("x", data(4, 80), 2, 2);
      Output<?> w =
          tf.op("VariableV2", "w", Map.of("shape", Shape.of(2, 3), "dtype", DataType.DT_FLOAT));
      Operation wInit =
          tf.build("Assign", "w/Assign", Map.of(), List.of(), w, tf.floats(data(6, 81), 2, 3));
      Output<?> wRead = tf.op("Identity", "w/read", Map.of(), w);
      Output<?> v =
          tf.op(
              "VarHandleOp",
              "v",
              Map.of("shape", Shape.of(3), "dtype", DataType.DT_FLOAT, "shared_name", "v"));
      Operation vInit =
          tf.build(
              "AssignVariableOp", "v/Assign", Map.of(), List.of(), v, tf.floats(data(3, 82), 3));
      Output<?> vRead = tf.op("ReadVariableOp", "v/Read", Map.of("dtype", DataType.DT_FLOAT), v);
      Output<?> y = tf.op("AddV2", "y", Map.of(), tf.op("MatMul", "xw", Map.of(), x, wRead), vRead);
      tf.build("NoOp", "init", Map.of(), List.of(wInit, vInit));
      tf.op(
          "Assign",
          "double_w",
          Map.of(),
          w,
          tf.op("Mul", "w2", Map.of(), wRead, tf.floats(new double[] {2})));
      byte[] graphDef = tf.graphDef();

      Value before;
      Value after;
      try (var s = tf.newSession()) {
        s.runner().addTarget("init").run().close();
        before = tf.fetch(s, y);
        s.runner().addTarget("double_w").run().close();
        after = tf.fetch(s, y);
      }

      ImportedGraph imported = GraphDefs.importGraph(graphDef);
      assertEquals(List.of("w", "v"), List.copyOf(imported.variables().keySet()));
      Tensor ours = imported.tensor("y");
      try (Session s = new Session(imported.graph())) {
        s.run(imported.tensor("init"));
        TfOracleTest.assertClose(
            before, AnygraphRuns.run(tf, s, imported, List.of(ours)).get(0), "y after init");
        s.run(imported.tensor("double_w"));
        TfOracleTest.assertClose(
            after, AnygraphRuns.run(tf, s, imported, List.of(ours)).get(0), "y after the update");
      }
    }
  }

  /** Random streams differ from TensorFlow's: the shape and the distribution must agree. */
  @Test
  void randomInitializersDrawTheirDistributions() {
    try (TfOracle tf = new TfOracle()) {
      tf.op("RandomUniform", "u", Map.of("dtype", DataType.DT_FLOAT, "seed", 3L), tf.ints(100, 50));
      tf.op("RandomStandardNormal", "n", Map.of("dtype", DataType.DT_FLOAT), tf.ints(5000));
      ImportedGraph imported = GraphDefs.importGraph(tf.graphDef());
      try (Session s = new Session(imported.graph())) {
        INDArray u = s.run(imported.tensor("u"));
        INDArray n = s.run(imported.tensor("n"));
        assertEquals(List.of(100L, 50L), List.of(u.shape()[0], u.shape()[1]));
        assertTrue(u.minNumber().doubleValue() >= 0 && u.maxNumber().doubleValue() < 1);
        assertEquals(0.5, u.meanNumber().doubleValue(), 0.02); // sd of the mean: 0.29 / 70
        assertEquals(0, n.meanNumber().doubleValue(), 0.06); // 1 / sqrt(5000) = 0.014
        assertEquals(1, n.stdNumber().doubleValue(), 0.06);
      }
    }
  }
}
