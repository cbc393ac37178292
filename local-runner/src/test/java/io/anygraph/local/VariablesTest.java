package io.anygraph.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Function;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VariablesTest {
  private final Graph g = new Graph();

  @Test
  void tensorFlowVariablesMustBeInitialized() {
    Variable w =
        g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 5, 1, 3), 0, 0.1), "weights");
    try (Session sess = new Session(g)) {
      assertFalse(sess.isInitialized(w));
      AnygraphException e = assertThrows(AnygraphException.class, () -> sess.run(w));
      assertTrue(
          e.getMessage().contains("weights") && e.getMessage().contains("initializeAllVariables"),
          e.getMessage());
      sess.initializeAllVariables();
      assertArrayEquals(new long[] {5, 5, 1, 3}, sess.run(w).shape());
    }
  }

  @Test
  void initializersRunOncePerInitialization() {
    Variable w = g.variable(g.random().uniform(DType.FLOAT64, Shape.of(4), 0, 1, 3L), "w");
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      INDArray first = sess.run(w);
      assertEquals(first, sess.run(w), "reads do not re-run the initializer");
    }
  }

  @Test
  void fetchedValuesAreCopiesOfTheStore() {
    Variable w = g.shared(Nd4j.createFromArray(1.0, 2.0), "w");
    try (Session sess = new Session(g)) {
      sess.run(w).addi(100);
      assertEquals(1.0, sess.run(w).getDouble(0));
    }
  }

  @Test
  void theanoUpdatesUseOldValuesAndAreSharedBetweenFunctions() {
    // theano: f = function([x], w * x, updates=[(w, w + x)])
    Variable w = g.shared(Nd4j.createFromArray(1.0), "w");
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(1), "x");
    Function f = g.function(List.of(x), List.of(w.mul(x)), Map.of(w, w.add(x)));
    Function read = g.function(List.of(), w);
    assertEquals(2.0, f.call(new double[] {2}).getDouble(0), "output from the old w = 1");
    assertEquals(3.0, read.call().getDouble(0), "update applied after the outputs");
    assertEquals(9.0, f.call(new double[] {3}).getDouble(0));
    assertEquals(6.0, w.getValue().getDouble(0));
    w.setValue(Nd4j.createFromArray(10.0));
    assertEquals(10.0, read.call().getDouble(0));
  }

  @Test
  void simultaneousUpdatesSwapValues() {
    Variable a = g.shared(Nd4j.createFromArray(1.0), "a");
    Variable b = g.shared(Nd4j.createFromArray(2.0), "b");
    Function swap =
        g.function(List.of(), List.of(a.add(b)), new LinkedHashMap<>(Map.of(a, b, b, a)));
    assertEquals(3.0, swap.call().getDouble(0));
    assertEquals(2.0, a.getValue().getDouble(0));
    assertEquals(1.0, b.getValue().getDouble(0));
  }

  @Test
  void setValueChecksDtypeAndShape() {
    Variable w = g.shared(Nd4j.createFromArray(1.0, 2.0), "w");
    assertThrows(AnygraphException.class, () -> w.setValue(Nd4j.createFromArray(1.0f, 2.0f)));
    assertThrows(AnygraphException.class, () -> w.setValue(Nd4j.createFromArray(1.0, 2.0, 3.0)));
  }

  @Test
  void sessionsHaveSeparateStores() {
    Variable v = g.variable(g.ops().zeros(DType.FLOAT64), "v");
    Tensor inc = g.ops().assignAdd(v, g.constant(1.0, DType.FLOAT64));
    try (Session s1 = new Session(g);
        Session s2 = new Session(g)) {
      s1.initializeAllVariables();
      s2.initializeAllVariables();
      s1.run(inc);
      s1.run(inc);
      assertEquals(2.0, s1.run(v).getDouble(0));
      assertEquals(0.0, s2.run(v).getDouble(0));
    }
  }
}
