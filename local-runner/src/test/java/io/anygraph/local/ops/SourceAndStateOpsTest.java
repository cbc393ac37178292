package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Placeholders, constants, fills, variables and the ops that update them. */
class SourceAndStateOpsTest {
  @Test
  @CoversForward({"placeholder", "constant", "fill"})
  void sourcesGiveTheirValues() {
    Graph g = new Graph();
    Tensor p = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "p");
    assertValues(
        DType.FLOAT64,
        new long[] {1, 2},
        new double[] {3, 4},
        run(p, Map.of(p, doubles(new long[] {1, 2}, 3, 4))));
    assertValues(
        DType.FLOAT64,
        new long[] {2},
        new double[] {5, 6},
        run(g.constant(Nd4j.createFromArray(5.0, 6.0))));
    assertValues(
        DType.FLOAT32,
        new long[] {2, 2},
        new double[] {0.25, 0.25, 0.25, 0.25},
        run(g.constant(0.25, DType.FLOAT32, 2, 2)));
    assertLongs(
        DType.INT16, new long[] {3}, new long[] {1, 1, 1}, run(g.ops().ones(DType.INT16, 3)));
    assertLongs(DType.INT64, new long[] {2}, new long[] {0, 0}, run(g.ops().zeros(DType.INT64, 2)));
  }

  @Test
  void fillNeedsAFullyDefinedShape() {
    Graph g = new Graph();
    AnygraphException e =
        assertThrows(
            AnygraphException.class, () -> g.ops().fill(DType.FLOAT32, Shape.of(-1, 3), 1));
    assertTrue(
        e.getMessage().contains("fill") && e.getMessage().contains("fully defined"),
        e.getMessage());
  }

  @Test
  @CoversForward({"variable", "assign", "assignAdd"})
  void variablesKeepTheirValuesAcrossRunsAndUpdatesReturnNewValues() {
    Graph g = new Graph();
    Variable v = g.variable(g.constant(Nd4j.createFromArray(1.0, 2.0)), "v");
    Tensor bump = g.ops().assignAdd(v, g.constant(Nd4j.createFromArray(10.0, 20.0)));
    Tensor reset = g.ops().assign(v, g.ops().zeros(DType.FLOAT64, 2));
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      assertValues(DType.FLOAT64, new long[] {2}, new double[] {1, 2}, sess.run(v));
      assertValues(DType.FLOAT64, new long[] {2}, new double[] {11, 22}, sess.run(bump));
      assertValues(DType.FLOAT64, new long[] {2}, new double[] {21, 42}, sess.run(bump));
      assertValues(DType.FLOAT64, new long[] {2}, new double[] {21, 42}, sess.run(v));
      assertValues(DType.FLOAT64, new long[] {2}, new double[] {0, 0}, sess.run(reset));
      assertValues(DType.FLOAT64, new long[] {2}, new double[] {0, 0}, sess.run(v));
    }
  }

  @Test
  void assignChecksItsTargetAndValue() {
    Graph g = new Graph();
    Variable v = g.variable(g.ops().zeros(DType.FLOAT32, 2), "v");
    AnygraphException e =
        assertThrows(
            AnygraphException.class, () -> g.ops().assign(v, g.ops().zeros(DType.FLOAT64, 2)));
    assertTrue(
        e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
    assertThrows(AnygraphException.class, () -> g.ops().assign(v, g.ops().zeros(DType.FLOAT32, 3)));
    assertThrows(
        AnygraphException.class, () -> g.ops().assign(v.add(v), g.ops().zeros(DType.FLOAT32, 2)));
  }

  @Test
  @CoversForward("group")
  void groupRunsEveryUpdateOnce() {
    Graph g = new Graph();
    Variable a = g.variable(g.ops().zeros(DType.INT32, 1), "a");
    Variable b = g.variable(g.ops().zeros(DType.INT32, 1), "b");
    Tensor one = g.ops().ones(DType.INT32, 1);
    Tensor both =
        g.ops().group(List.of(g.ops().assignAdd(a, one), g.ops().assignAdd(b, one.add(one))));
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      assertTrue(sess.run(both).getDouble(0) != 0, "group outputs true");
      sess.run(both);
      assertEquals(2, sess.run(a).getInt(0));
      assertEquals(4, sess.run(b).getInt(0));
    }
  }
}
