package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.ControlFlow;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** cond and whileLoop: forward values worked by hand, gradients against finite differences. */
class ControlFlowOpsTest {

  /** x^(2^n) by squaring n times, with an int32 counter as a second loop variable. */
  static Tensor repeatedSquares(Tensor x, int n) {
    Graph g = x.graph();
    Tensor limit = g.constant(n, DType.INT32);
    return g.control()
        .whileLoop(
            v -> g.ops().less(v.get(0), limit),
            v -> List.of(v.get(0).add(1), v.get(1).mul(v.get(1))),
            List.of(g.constant(0, DType.INT32), x))
        .get(1);
  }

  @Test
  @CoversForward("whileLoop")
  void whileLoopSquaresRepeatedly() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(2), "x");
    Tensor y = repeatedSquares(x, 3);
    Eval.assertValues(
        DType.FLOAT64,
        new long[] {2},
        new double[] {Math.pow(1.1, 8), Math.pow(-0.5, 8)},
        Eval.run(y, Map.of(x, Eval.doubles(new long[] {2}, 1.1, -0.5))));
  }

  @Test
  void maximumIterationsStopsTheLoop() {
    Graph g = new Graph();
    Tensor x = g.constant(2.0, DType.FLOAT64);
    List<Tensor> out =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), g.constant(100.0, DType.FLOAT64)),
                v -> List.of(v.get(0).add(1.0)),
                List.of(x),
                5);
    assertEquals(7.0, Eval.run(out.get(0)).getDouble(0), 0);
  }

  @Test
  void aLoopThatNeverRunsReturnsItsInputs() {
    Graph g = new Graph();
    Tensor x = g.constant(3.0, DType.FLOAT64);
    Tensor y =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), g.constant(0.0, DType.FLOAT64)),
                v -> List.of(v.get(0).mul(10.0)),
                List.of(x))
            .get(0);
    assertEquals(3.0, Eval.run(y).getDouble(0), 0);
    assertEquals(1.0, Eval.run(g.grad(y, x)).getDouble(0), 0);
  }

  @Test
  @CoversForward("cond")
  void condRunsOnlyTheTakenBranch() {
    Graph g = new Graph();
    Tensor p = g.placeholder(DType.BOOL, Shape.scalar(), "p");
    Tensor a = g.constant(7, DType.INT32);
    Tensor zero = g.constant(0, DType.INT32);
    // the else branch divides by zero, which fails at run time: it must not run when p is true
    Tensor y = g.control().cond(p, () -> a.mul(a), () -> g.ops().floorDiv(a, zero));
    assertEquals(49, Eval.run(y, Map.of(p, true)).getInt(0));
    assertThrows(ArithmeticException.class, () -> Eval.run(y, Map.of(p, false)));
  }

  @Test
  @CoversGradient("cond")
  void condGradientMatchesFiniteDifferences() {
    for (double sign : new double[] {1, -1}) {
      INDArray x = Eval.doubles(new long[] {3}, 0.3 * sign, 1.2 * sign, -0.4 * sign);
      GradCheck.check(
          x,
          t -> {
            Graph g = t.graph();
            Tensor w = g.constant(Eval.doubles(new long[] {3}, 2.0, -1.0, 0.5));
            return g.control()
                .cond(
                    g.ops().greater(t.sum(), g.constant(0.0, DType.FLOAT64)),
                    () -> t.mul(t).mul(w),
                    () -> t.exp().add(w));
          });
    }
  }

  @Test
  @CoversGradient("whileLoop")
  void whileGradientOfRepeatedSquaringMatchesFiniteDifferences() {
    GradCheck.check(Eval.doubles(new long[] {2}, 1.05, -0.9), t -> repeatedSquares(t, 3));
  }

  @Test
  void secondDerivativeThroughALoop() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.scalar(), "x");
    Tensor y = repeatedSquares(x, 3); // x^8
    Tensor dy = g.grad(y, x);
    Tensor d2y = g.grad(dy, x);
    try (Session s = new Session(g)) {
      List<INDArray> r = s.run(List.of(dy, d2y), Map.of(x, 1.1));
      assertEquals(8 * Math.pow(1.1, 7), r.get(0).getDouble(0), 1e-12);
      assertEquals(56 * Math.pow(1.1, 6), r.get(1).getDouble(0), 1e-11);
    }
    // and against finite differences of the symbolic first derivative
    GradCheck.check(
        Eval.doubles(new long[] {2}, 0.95, 1.1),
        t -> t.graph().grad(repeatedSquares(t, 2).sum(), t));
  }

  @Test
  void aBodyReadingAVariableSendsItAGradient() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(2), "x");
    Variable w = g.shared(Eval.doubles(new long[] {2}, 0.5, -2.0), "w");
    Tensor limit = g.constant(3, DType.INT32);
    // p = prod over 3 steps of (x + w), carried with the step counter
    Tensor p =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), limit),
                v -> List.of(v.get(0).add(1), v.get(1).mul(x.add(w))),
                List.of(g.constant(0, DType.INT32), g.ops().onesLike(x)))
            .get(1);
    List<Tensor> grads = g.grad(p.sum(), List.of(w, x));
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      double[] xv = {1.0, 0.5};
      double[] wv = {0.5, -2.0};
      List<INDArray> r = s.run(List.of(p, grads.get(0), grads.get(1)), Map.of(x, xv));
      for (int i = 0; i < 2; i++) {
        double b = xv[i] + wv[i];
        assertEquals(b * b * b, r.get(0).getDouble(i), 1e-12);
        assertEquals(3 * b * b, r.get(1).getDouble(i), 1e-12);
        assertEquals(3 * b * b, r.get(2).getDouble(i), 1e-12);
      }
    }
    GradCheck.check(
        List.of(Eval.doubles(new long[] {2}, 1.0, 0.5), Eval.doubles(new long[] {2}, 0.3, -0.7)),
        xs -> {
          Graph h = xs.get(0).graph();
          Tensor n = h.constant(3, DType.INT32);
          return h.control()
              .whileLoop(
                  v -> h.ops().less(v.get(0), n),
                  v -> List.of(v.get(0).add(1), v.get(1).mul(xs.get(0).add(xs.get(1)))),
                  List.of(h.constant(0, DType.INT32), h.ops().onesLike(xs.get(0))))
              .get(1);
        });
  }

  @Test
  void randomOpsInABodyDrawPerStepAndReplayInTheGradient() {
    Graph g = new Graph();
    g.setSeed(42);
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3), "x");
    Tensor limit = g.constant(4, DType.INT32);
    List<Tensor> out =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), limit),
                v -> {
                  Tensor noise = g.random().normal(DType.FLOAT64, Shape.of(3), 0, 0.1);
                  return List.of(v.get(0).add(1), v.get(1).mul(noise.add(1.0)), noise);
                },
                List.of(g.constant(0, DType.INT32), x, g.ops().zerosLike(x)));
    Tensor y = out.get(1);
    Tensor lastNoise = out.get(2);
    Tensor dx = g.grad(y.sum(), x);
    INDArray xv = Eval.doubles(new long[] {3}, 1.0, 2.0, -3.0);
    List<INDArray> first;
    try (Session s = new Session(g)) {
      first = s.run(List.of(y, dx, lastNoise), Map.of(x, xv));
      // the gradient replays the same noise: y = x * prod(1 + noise_t), so dy/dx = y / x
      for (int i = 0; i < 3; i++) {
        assertEquals(first.get(0).getDouble(i) / xv.getDouble(i), first.get(1).getDouble(i), 1e-12);
      }
      // four steps of noise make the product differ from one step's factor
      assertNotEquals(
          first.get(2).getDouble(0) + 1, first.get(0).getDouble(0) / xv.getDouble(0), 1e-9);
      List<INDArray> second = s.run(List.of(y), Map.of(x, xv));
      assertNotEquals(first.get(0).getDouble(0), second.get(0).getDouble(0), "new run, new noise");
    }
    try (Session s = new Session(g)) {
      assertEquals(
          first.get(0).getDouble(0),
          s.run(List.of(y), Map.of(x, xv)).get(0).getDouble(0),
          0,
          "same graph seed, same numbers");
    }
  }

  @Test
  void randomOpsInABranchReplayInTheGradient() {
    Graph g = new Graph();
    g.setSeed(9);
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3), "x");
    Tensor p = g.placeholder(DType.BOOL, Shape.scalar(), "p");
    Tensor y =
        g.control()
            .cond(
                p,
                () -> x.mul(g.random().normal(DType.FLOAT64, Shape.of(3), 1, 0.5)),
                () -> x.mul(2.0));
    Tensor dx = g.grad(y.sum(), x);
    INDArray xv = Eval.doubles(new long[] {3}, 1.0, -2.0, 0.5);
    try (Session s = new Session(g)) {
      List<INDArray> r = s.run(List.of(y, dx), Map.of(x, xv, p, true));
      for (int i = 0; i < 3; i++) { // y = x * noise, so dy/dx = y / x with the same noise
        assertEquals(r.get(0).getDouble(i) / xv.getDouble(i), r.get(1).getDouble(i), 1e-12);
      }
      assertNotEquals(r.get(1).getDouble(0), r.get(1).getDouble(1), 1e-9, "noise, not a constant");
    }
  }

  @Test
  void branchesOfDifferentTypesFailWhenBuilt() {
    Graph g = new Graph();
    Tensor p = g.placeholder(DType.BOOL, Shape.scalar(), "p");
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(2), "a");
    Tensor b = g.placeholder(DType.FLOAT64, Shape.of(2), "b");
    Tensor c = g.placeholder(DType.FLOAT32, Shape.of(3), "c");
    ControlFlow cf = g.control();
    String dtypes =
        assertThrows(AnygraphException.class, () -> cf.cond(p, () -> a, () -> b)).getMessage();
    assertTrue(
        dtypes.contains("'cond") && dtypes.contains("float32[2]") && dtypes.contains("float64[2]"),
        dtypes);
    String shapes =
        assertThrows(AnygraphException.class, () -> cf.cond(p, () -> a, () -> c)).getMessage();
    assertTrue(shapes.contains("different shapes") && shapes.contains("[3]"), shapes);
    Tensor vector = g.placeholder(DType.BOOL, Shape.of(2), "pv");
    String pred =
        assertThrows(AnygraphException.class, () -> cf.cond(vector, () -> a, () -> a)).getMessage();
    assertTrue(pred.contains("bool scalar") && pred.contains("[2]"), pred);
    String notBool =
        assertThrows(AnygraphException.class, () -> cf.cond(a.sum(), () -> a, () -> a))
            .getMessage();
    assertTrue(notBool.contains("bool scalar") && notBool.contains("float32"), notBool);
  }

  @Test
  void aBodyChangingDtypeOrRankFailsWhenBuilt() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2), "x");
    ControlFlow cf = g.control();
    Tensor t = g.constant(1, DType.BOOL);
    String dtype =
        assertThrows(
                AnygraphException.class,
                () -> cf.whileLoop(v -> t, v -> List.of(v.get(0).cast(DType.FLOAT64)), List.of(x)))
            .getMessage();
    assertTrue(dtype.contains("whileLoop") && dtype.contains("float64"), dtype);
    String rank =
        assertThrows(
                AnygraphException.class,
                () -> cf.whileLoop(v -> t, v -> List.of(v.get(0).reshape(1, 2)), List.of(x)))
            .getMessage();
    assertTrue(rank.contains("rank") && rank.contains("[1, 2]"), rank);
    String cond =
        assertThrows(
                AnygraphException.class,
                () -> cf.whileLoop(v -> v.get(0), v -> List.of(v.get(0)), List.of(x)))
            .getMessage();
    assertTrue(cond.contains("bool scalar"), cond);
    String variable =
        assertThrows(
                AnygraphException.class,
                () ->
                    cf.whileLoop(
                        v -> t,
                        v -> List.of(v.get(0).add(g.variable(g.ops().zerosLike(x), "inside"))),
                        List.of(x)))
            .getMessage();
    assertTrue(variable.contains("variable") && variable.contains("outside"), variable);
  }

  @Test
  void aLoopVariableMayChangeItsDimensions() {
    Graph g = new Graph();
    Tensor x = g.constant(Nd4j.createFromArray(1.0, 2.0));
    Tensor limit = g.constant(4, DType.INT32);
    Tensor y =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), limit),
                v ->
                    List.of(
                        v.get(0).add(1),
                        g.ops().concat(List.of(v.get(1), v.get(1).sum().reshape(1)), 0)),
                List.of(g.constant(0, DType.INT32), x))
            .get(1);
    assertEquals(Shape.of(-1), y.shape());
    // [1,2] -> [1,2,3] -> [1,2,3,6] -> [..,12] -> [..,24]
    Eval.assertValues(
        DType.FLOAT64, new long[] {6}, new double[] {1, 2, 3, 6, 12, 24}, Eval.run(y));
  }
}
