package io.anygraph.interop.tf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Functions of the library that cannot be imported: the import fails before building anything,
 * naming the function, the calling node, and the node and op inside it.
 */
class TfFunctionErrorsTest {
  private static final double[] X = {0.5, -1.25, 1.5};

  @Test
  void anUnmappedOpInsideABranchFailsNamingTheFunctionTheNodeAndTheOp() {
    try (TfOracle o = new TfOracle()) {
      Ops tf = Ops.create(o.g);
      Output<?> x = o.input("x", X, 3);
      ConcreteFunction cosh = TfControlFlowTest.fn1((f, a) -> f.math.cosh(a));
      ConcreteFunction sq = TfControlFlowTest.fn1((f, a) -> f.math.square(a));
      tf.statelessIf(tf.constant(true), List.of(x), List.of(TFloat32.class), sq, cosh);
      GraphImportException e =
          assertThrows(GraphImportException.class, () -> GraphDefs.importGraph(o.graphDef()));
      String m = e.getMessage();
      assertTrue(m.contains("else_branch of node 'StatelessIf' (StatelessIf)"), m);
      assertTrue(m.contains("function '" + cosh.getDefinedName() + "'"), m);
      assertTrue(m.contains("node 'Cosh' (Cosh)"), m);
    }
  }

  /** A GraphDef whose {@code If} calls function {@code f}, defined by {@code body}. */
  private static String ifCalling(String functions) {
    return """
        node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "p" op: "Const" attr { key: "dtype" value { type: DT_BOOL } }
          attr { key: "value" value { tensor { dtype: DT_BOOL tensor_shape {} bool_val: true } } } }
        node { name: "if" op: "StatelessIf" input: "p" input: "x"
          attr { key: "then_branch" value { func { name: "f" } } }
          attr { key: "else_branch" value { func { name: "f" } } } }
        library { %s }
        """
        .formatted(functions);
  }

  /** A function {@code name}(a) whose one node, {@code n}, is {@code op}(a) with these attrs. */
  private static String function(String name, String op, String attrs) {
    return """
        function { signature { name: "%s" input_arg { name: "a" type: DT_FLOAT }
            output_arg { name: "y" type: DT_FLOAT } }
          node_def { name: "n" op: "%s" input: "a" %s }
          ret { key: "y" value: "n:output:0" } }
        """
        .formatted(name, op, attrs);
  }

  @Test
  void unmappedOpsInNestedFunctionsAndRecursionFailBeforeAnythingIsBuilt() {
    String nestedErf =
        ifCalling(
            function(
                        "f",
                        "StatelessIf",
                        "attr { key: 'then_branch' value { func { name: 'g' } } }"
                            + " attr { key: 'else_branch' value { func { name: 'g' } } }")
                    .replace("input: \"a\"", "input: \"a\" input: \"a\"")
                    .replace('\'', '"')
                + function("g", "Erf", ""));
    String m =
        assertThrows(
                GraphImportException.class,
                () ->
                    GraphDefs.importGraph(
                        GraphDefs.parseText(nestedErf, "nested"), Map.of(), List.of()))
            .getMessage();
    assertTrue(
        m.startsWith(
            "Cannot import function 'g' (then_branch of node 'n' (StatelessIf)): 1 node(s) have"
                + " an op with no mapping: node 'n' (Erf)"),
        m);

    String recursive =
        ifCalling(
            function(
                    "f",
                    "StatelessIf",
                    "attr { key: 'then_branch' value { func { name: 'f' } } }"
                        + " attr { key: 'else_branch' value { func { name: 'f' } } }")
                .replace("input: \"a\"", "input: \"a\" input: \"a\"")
                .replace('\'', '"'));
    m =
        assertThrows(
                GraphImportException.class,
                () ->
                    GraphDefs.importGraph(
                        GraphDefs.parseText(recursive, "rec"), Map.of(), List.of()))
            .getMessage();
    assertTrue(m.contains("function 'f' (then_branch of node 'n' (StatelessIf)) calls itself"), m);
  }
}
