package io.anygraph.interop.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.anygraph.core.Tensor;
import io.anygraph.interop.tf.TfCase.Built;
import io.anygraph.interop.tf.TfOracle.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tensorflow.Output;

/**
 * Every mapped op against TensorFlow itself: each case's graph is built and run by TensorFlow,
 * exported as a GraphDef, imported, and run by Anygraph's local runner; outputs and (where
 * TensorFlow's {@code addGradients} has a gradient) gradients must agree within float32 rounding.
 */
class TfOracleTest {
  /**
   * The ops that other tests exercise against TensorFlow (variables, random initializers; control
   * flow and LogicalAnd in {@link TfControlFlowTest}).
   */
  static final Set<String> ELSEWHERE =
      Set.of(
          "VariableV2",
          "VarHandleOp",
          "Assign",
          "AssignVariableOp",
          "ReadVariableOp",
          "NoOp",
          "RandomUniform",
          "RandomStandardNormal",
          "If",
          "StatelessIf",
          "While",
          "StatelessWhile",
          "LogicalAnd");

  /**
   * Ops whose C++ gradient TensorFlow Java lacks; their cases compare the gradient with the op's
   * own second output (the backprop), which is that gradient.
   */
  static final Set<String> NO_TF_GRADIENT = Set.of("SparseSoftmaxCrossEntropyWithLogits");

  @TestFactory
  Stream<DynamicTest> everyCaseMatchesTensorFlow() {
    return TfCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  @Test
  void everyMappedOpIsExercised() {
    Set<String> exercised = new TreeSet<>(ELSEWHERE);
    for (TfCase c : TfCases.all()) {
      try (TfOracle tf = new TfOracle()) {
        c.build().apply(tf);
        GraphDefs.parse(tf.graphDef()).getNodeList().forEach(n -> exercised.add(n.getOp()));
      }
    }
    Set<String> missing = new TreeSet<>(TfOpTable.ops());
    missing.removeAll(exercised);
    assertTrue(missing.isEmpty(), "mapped ops no case exercises: " + missing);
  }

  static void check(TfCase c) {
    try (TfOracle tf = new TfOracle()) {
      Built built = c.build().apply(tf);
      byte[] graphDef = tf.graphDef(); // before TensorFlow adds its gradient ops
      List<Output<?>> fetches = new ArrayList<>(built.fetches());
      Output<?>[] grads = tfGradients(tf, built);
      if (grads != null) {
        fetches.addAll(List.of(grads));
      }
      List<Value> expected = tf.runTf(List.of(), fetches);

      ImportedGraph imported = GraphDefs.importGraph(graphDef);
      List<Tensor> ours = new ArrayList<>();
      for (Output<?> f : built.fetches()) {
        ours.add(imported.tensor(f.op().name() + ":" + f.index()));
      }
      if (grads != null) {
        List<Tensor> wrt = built.gradWrt().stream().map(imported::tensor).toList();
        ours.addAll(imported.graph().grad(ours.get(0), wrt));
      }
      if (grads == null && !built.gradWrt().isEmpty()) {
        // the backprop output is d(sum loss)/d logits
        Tensor logits = imported.tensor(built.gradWrt().get(0));
        ours.add(imported.graph().grad(ours.get(0), logits));
        fetches.add(built.fetches().get(1));
        expected = new ArrayList<>(expected);
        expected.add(expected.get(1));
      }
      List<Value> actual = AnygraphRuns.run(tf, imported, ours);
      for (int i = 0; i < fetches.size(); i++) {
        int g = i - built.fetches().size();
        String what =
            g < 0
                ? "output " + fetches.get(i).op().name()
                : "gradient wrt " + built.gradWrt().get(Math.min(g, built.gradWrt().size() - 1));
        assertClose(expected.get(i), actual.get(i), c.name() + ", " + what);
      }
    }
  }

  /** TensorFlow's gradients of the first output's sum, or null where it has none. */
  private static Output<?>[] tfGradients(TfOracle tf, Built built) {
    if (built.gradWrt().isEmpty()) {
      return null;
    }
    Output<?>[] xs =
        built.gradWrt().stream().map(n -> tf.g.operation(n).output(0)).toArray(Output<?>[]::new);
    try {
      return tf.g.addGradients(built.fetches().get(0), xs);
    } catch (RuntimeException noGradientInTensorFlow) {
      String op = built.fetches().get(0).op().type();
      assertTrue(
          NO_TF_GRADIENT.contains(op),
          "TensorFlow has no gradient for " + op + ": " + noGradientInTensorFlow);
      return null;
    }
  }

  static void assertClose(Value expected, Value actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.values();
    double[] a = actual.values();
    assertEquals(e.length, a.length, what + ": size");
    for (int i = 0; i < e.length; i++) {
      if (Math.abs(e[i] - a[i]) > 1e-5 + 1e-4 * Math.abs(e[i])) {
        fail(what + ": element " + i + " is " + a[i] + ", TensorFlow gives " + e[i]);
      }
    }
  }
}
