package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.CheckNumerics;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.NumericsException;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** checkNumerics: the identity on finite values; on NaN or infinity, an error naming the node. */
class CheckNumericsOpsTest {
  private static final double[] X = {1, 2, 3, 4, 5, 6};

  @Test
  @CoversForward("checkNumerics")
  void finiteValuesPassThroughAndNanOrInfinityNameTheNode() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {2, 3}, X));
    assertValues(DType.FLOAT64, new long[] {2, 3}, X, run(g.ops().checkNumerics(x)));
    Tensor p = g.placeholder(DType.FLOAT64, Shape.of(2), "p");
    Tensor logged;
    try (var s = g.nameScope("layer")) {
      logged = g.ops().log(p); // log(-1) = NaN, log(0) = -infinity
    }
    Tensor checked = g.ops().checkNumerics(logged);
    NumericsException nan =
        assertThrows(
            NumericsException.class, () -> run(checked, Map.of(p, doubles(new long[] {2}, 1, -1))));
    assertEquals(
        "node 'layer/log' (op log) produced NaN in its output, float64[2]", nan.getMessage());
    assertEquals("layer/log", nan.node());
    NumericsException inf =
        assertThrows(
            NumericsException.class, () -> run(checked, Map.of(p, doubles(new long[] {2}, 1, 0))));
    assertEquals(
        "node 'layer/log' (op log) produced infinity in its output, float64[2]", inf.getMessage());
  }

  @Test
  @CoversGradient("checkNumerics")
  void theGradientPassesThrough() {
    GradCheck.check(doubles(new long[] {2, 3}, X), t -> t.graph().ops().checkNumerics(t).mul(t));
  }

  @Test
  void addToChecksWhatTheFetchesComputeAndNamesTheFirstBadNode() {
    // y = sqrt(x - 3) * 2: x = 1 makes sub fine, sqrt NaN, and mul NaN after it; sqrt comes first
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(1), "x");
    Tensor y = g.ops().sqrt(x.sub(3)).mul(2);
    Tensor unrelated = g.ops().log(x); // not fetched: not checked, not run
    Tensor checks = CheckNumerics.addTo(g, List.of(y));
    try (Session sess = new Session(g, new LocalRunner(g, LocalOptions.cpus(1)))) {
      NumericsException e =
          assertThrows(
              NumericsException.class,
              () -> sess.run(List.of(y, checks), Map.of(x, doubles(new long[] {1}, 1))));
      assertEquals(
          "node '"
              + y.node().input(0).node().name()
              + "' (op sqrt) produced NaN in its"
              + " output, float64[1]",
          e.getMessage());
      double[] fine =
          sess.run(List.of(y, checks), Map.of(x, doubles(new long[] {1}, 7)))
              .get(0)
              .toDoubleVector();
      assertEquals(4.0, fine[0], 1e-12); // sqrt(7 - 3) * 2
    }
    assertEquals(
        0,
        g.nodes().stream()
            .filter(
                n ->
                    n.op().equals("checkNumerics")
                        && n.attrs().getString("node").equals(unrelated.node().name()))
            .count());
  }
}
