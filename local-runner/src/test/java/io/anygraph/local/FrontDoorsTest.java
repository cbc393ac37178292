package io.anygraph.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Function;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The TensorFlow-style and Theano-style doors over the same engine. */
class FrontDoorsTest {
  private final Graph g = new Graph();

  @Test
  void sessionRunsTheTutorialAddition() {
    Tensor a = g.placeholder(DType.INT8, "a");
    Tensor b = g.placeholder(DType.INT8, "b");
    try (Session sess = new Session(g)) {
      INDArray r = sess.run(a.add(b), Map.of(a, 10, b, 32));
      assertEquals(DataType.BYTE, r.dataType());
      assertEquals(0, r.rank());
      assertEquals(42, r.getInt(0));
      // feeds may also be keyed by name
      assertEquals(42, sess.run(a.add(b), Map.of("a", 10, "b:0", 32)).getInt(0));
    }
  }

  @Test
  void functionCallsWithJavaNumbersAndArrays() {
    Tensor a = g.scalar(DType.INT32, "a");
    Tensor b = g.scalar(DType.INT32, "b");
    Function f = g.function("addition", List.of(a, b), a.add(b));
    assertEquals("addition", f.name());
    assertEquals(42, f.call(10, 32).getInt(0));
    assertThrows(AnygraphException.class, () -> f.call(10));
    Tensor v = g.placeholder(DType.FLOAT64, Shape.of(3), "v");
    assertEquals(
        14.0, g.function(List.of(v), v.mul(v).sum()).call(new double[] {1, 2, 3}).getDouble(0));
  }

  @Test
  void evalUsesTheDefaultSessionOrTheGraphsOwn() {
    Tensor a = g.scalar(DType.FLOAT64, "a");
    Tensor b = g.scalar(DType.FLOAT64, "b");
    Tensor z = a.add(b);
    assertEquals(42.0, z.eval(Map.of(a, 10, b, 32)).getDouble(0));
    var counter = g.variable(g.ops().zeros(DType.FLOAT64), "counter");
    Tensor bump = g.ops().assignAdd(counter, g.constant(1.0, DType.FLOAT64));
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      try (Scope d = sess.asDefault()) {
        bump.eval();
        bump.eval();
        assertEquals(2.0, counter.eval().getDouble(0));
      }
      assertEquals(2.0, sess.run(counter).getDouble(0));
    }
    // the graph's own session never saw those increments
    AnygraphException e = assertThrows(AnygraphException.class, counter::eval);
    assertEquals(true, e.getMessage().contains("counter"));
  }

  @Test
  void gradOfSquareAtTwoIsFour() {
    Tensor a = g.scalar(DType.FLOAT64, "a");
    Function f = g.function(List.of(a), g.grad(a.pow(2), a));
    assertEquals(4.0, f.call(2).getDouble(0), 1e-12);
  }

  @Test
  void secondDerivativeOfCubeIsSixA() {
    Tensor a = g.scalar(DType.FLOAT64, "a");
    Tensor d2 = g.grad(g.grad(a.pow(3), a), a);
    for (double x : new double[] {-1.5, 0.5, 2}) {
      assertEquals(6 * x, d2.eval(Map.of(a, x)).getDouble(0), 1e-9);
    }
  }

  @Test
  void nonScalarYWithUpstreamGradient() {
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3), "x");
    Tensor dy = g.placeholder(DType.FLOAT64, Shape.of(3), "dy");
    Tensor dx = g.grad(x.mul(x), List.of(x), dy).get(0);
    INDArray r = dx.eval(Map.of(x, new double[] {1, 2, 3}, dy, new double[] {1, 10, 100}));
    assertEquals(
        List.of(2.0, 40.0, 600.0), List.of(r.getDouble(0), r.getDouble(1), r.getDouble(2)));
  }

  @Test
  void fanOutSumsThePaths() {
    Tensor x = g.scalar(DType.FLOAT64, "x");
    Tensor y = x.mul(x).add(x.exp()).add(x); // 2x + e^x + 1
    assertEquals(
        2 * 0.7 + Math.exp(0.7) + 1, g.grad(y, x).eval(Map.of(x, 0.7)).getDouble(0), 1e-12);
  }

  @Test
  void severalFetchesRunSideEffectsOnce() {
    var v = g.variable(g.ops().zeros(DType.FLOAT32), "v");
    Tensor inc = g.ops().assignAdd(v, g.constant(1.0, DType.FLOAT32));
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      List<INDArray> r = sess.run(List.of(inc, inc.mul(inc)), Map.of());
      assertEquals(1.0f, r.get(0).getFloat(0));
      assertEquals(1.0f, r.get(1).getFloat(0));
    }
  }
}
