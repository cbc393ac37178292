package io.anygraph.interop.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.interop.tf.TfOracle.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * TensorFlow 2's functional control flow ({@code If}, {@code While} and their stateless forms),
 * built by TensorFlow Java from {@link ConcreteFunction}s (which put their FunctionDefs in the
 * GraphDef's library), run by TensorFlow, imported, and run by Anygraph. TensorFlow's {@code
 * addGradients} has no gradient for these ops, so Anygraph's gradients are checked against central
 * finite differences of the imported graph's own outputs.
 */
class TfControlFlowTest {
  @TempDir Path tmp;

  private static final double[] X = {0.5, -1.25, 1.5};

  /** {@code If(p > 0, x, w)}: then x² · w, else -x + w; both branches taken. */
  @Test
  void ifRunsTheBranchThePredicatePicksAsInTensorFlow() {
    for (double p : new double[] {1, -2}) {
      for (boolean stateless : new boolean[] {true, false}) {
        try (TfOracle o = new TfOracle()) {
          Ops tf = Ops.create(o.g);
          Output<?> x = o.input("x", X, 3);
          Output<?> w = o.input("w", new double[] {2, 3, -1}, 3);
          Operand<TBool> pred =
              tf.math.greater(floats(o.input("p", new double[] {p})), tf.constant(0f));
          ConcreteFunction then = fn2((f, a, b) -> f.math.mul(f.math.square(a), b));
          ConcreteFunction otherwise = fn2((f, a, b) -> f.math.add(f.math.neg(a), b));
          List<Class<? extends TType>> types = List.of(TFloat32.class);
          Output<?> y =
              stateless
                  ? tf.statelessIf(pred, List.of(x, w), types, then, otherwise).output().get(0)
                  : tf.ifOp(pred, List.of(x, w), types, then, otherwise).output().get(0);
          Value expected = o.runTf(List.of(), List.of(y)).get(0);
          double[] hand = new double[3];
          for (int i = 0; i < 3; i++) {
            double wi = new double[] {2, 3, -1}[i];
            hand[i] = p > 0 ? X[i] * X[i] * wi : -X[i] + wi;
          }
          assertClose(hand, expected.values(), "TensorFlow's If against the hand-worked values");

          ImportedGraph imported = GraphDefs.importGraph(o.graphDef());
          Tensor ours = imported.tensor(y.op().name() + ":0");
          TfOracleTest.assertClose(
              expected, AnygraphRuns.run(o, imported, List.of(ours)).get(0), "If p=" + p);
          checkGradientByFiniteDifferences(o, imported, ours, "x");
        }
      }
    }
  }

  /** A counter loop carrying a tensor: {@code i < 3: (i + 1, v * v)}, so v ends as x⁸. */
  @Test
  void whileRepeatsSquaringAsInTensorFlow() {
    for (boolean stateless : new boolean[] {true, false}) {
      try (TfOracle o = new TfOracle()) {
        Ops tf = Ops.create(o.g);
        Output<?> x = o.input("x", X, 3);
        ConcreteFunction cond =
            ConcreteFunction.create(
                f -> {
                  var i = f.placeholder(TInt32.class);
                  var v = f.placeholder(TFloat32.class);
                  return Signature.builder()
                      .input("i", i)
                      .input("v", v)
                      .output("go_on", f.math.less(i, f.constant(3)))
                      .build();
                });
        ConcreteFunction body =
            ConcreteFunction.create(
                f -> {
                  var i = f.placeholder(TInt32.class);
                  var v = f.placeholder(TFloat32.class);
                  return Signature.builder()
                      .input("i", i)
                      .input("v", v)
                      .output("i_next", f.math.add(i, f.constant(1)))
                      .output("v_next", f.math.mul(v, v))
                      .build();
                });
        List<Operand<?>> init = List.of(tf.constant(0), x);
        List<Output<?>> outs =
            stateless
                ? tf.statelessWhile(init, cond, body).output()
                : tf.whileOp(init, cond, body).output();
        List<Value> expected = o.runTf(List.of(), List.of(outs.get(0), outs.get(1)));
        assertEquals(3.0, expected.get(0).values()[0], "TensorFlow's counter");
        assertClose(pow8(X), expected.get(1).values(), "TensorFlow's While against x^8 by hand");

        ImportedGraph imported = GraphDefs.importGraph(o.graphDef());
        String name = outs.get(0).op().name();
        Tensor counter = imported.tensor(name + ":0");
        Tensor v = imported.tensor(name + ":1");
        List<Value> actual = AnygraphRuns.run(o, imported, List.of(counter, v));
        TfOracleTest.assertClose(expected.get(0), actual.get(0), "While counter");
        TfOracleTest.assertClose(expected.get(1), actual.get(1), "While v");
        checkGradientByFiniteDifferences(o, imported, v, "x");
      }
    }
  }

  /**
   * {@code tf.while_loop(..., maximum_iterations=m)} as TensorFlow 2 encodes it: a counter and the
   * limit as loop variables, and {@code LogicalAnd(counter < m, cond)} in the cond function. With v
   * ← v² while sum(v) < 20: m = 2 stops on the counter (x⁴), m = 10 on the value (x⁸).
   */
  @Test
  void whileWithMaximumIterationsStopsOnTheCounterOrTheConditionAsInTensorFlow() {
    for (int m : new int[] {2, 10}) {
      try (TfOracle o = new TfOracle()) {
        Ops tf = Ops.create(o.g);
        Output<?> x = o.input("x", X, 3);
        Output<?> limit = o.intInput("m", new double[] {m}, new long[0]);
        ConcreteFunction cond =
            ConcreteFunction.create(
                f -> {
                  var c = f.placeholder(TInt32.class);
                  var n = f.placeholder(TInt32.class);
                  var v = f.placeholder(TFloat32.class);
                  Operand<TBool> small = f.math.less(f.sum(v, f.constant(0)), f.constant(20f));
                  return Signature.builder()
                      .input("c", c)
                      .input("n", n)
                      .input("v", v)
                      .output("go_on", f.math.logicalAnd(f.math.less(c, n), small))
                      .build();
                });
        ConcreteFunction body =
            ConcreteFunction.create(
                f -> {
                  var c = f.placeholder(TInt32.class);
                  var n = f.placeholder(TInt32.class);
                  var v = f.placeholder(TFloat32.class);
                  return Signature.builder()
                      .input("c", c)
                      .input("n", n)
                      .input("v", v)
                      .output("c_next", f.math.add(c, f.constant(1)))
                      .output("n_next", f.identity(n))
                      .output("v_next", f.math.mul(v, v))
                      .build();
                });
        List<Output<?>> outs =
            tf.statelessWhile(List.of(tf.constant(0), limit, x), cond, body).output();
        List<Value> expected = o.runTf(List.of(), List.of(outs.get(0), outs.get(2)));
        assertClose(m == 2 ? pow4(X) : pow8(X), expected.get(1).values(), "TensorFlow, m=" + m);

        ImportedGraph imported = GraphDefs.importGraph(o.graphDef());
        String name = outs.get(0).op().name();
        List<Value> actual =
            AnygraphRuns.run(
                o, imported, List.of(imported.tensor(name + ":0"), imported.tensor(name + ":2")));
        TfOracleTest.assertClose(expected.get(0), actual.get(0), "counter, m=" + m);
        TfOracleTest.assertClose(expected.get(1), actual.get(1), "v, m=" + m);
      }
    }
  }

  /** An If inside a While body: i < 3: (i + 1, sum(v) < 5 ? v * v : v + 1). */
  @Test
  void anIfNestedInAWhileBodyMatchesTensorFlowAndSurvivesGraphFile() throws IOException {
    try (TfOracle o = new TfOracle()) {
      Ops tf = Ops.create(o.g);
      Output<?> x = o.input("x", X, 3);
      ConcreteFunction square = fn1((f, a) -> f.math.mul(a, a));
      ConcreteFunction plusOne = fn1((f, a) -> f.math.add(a, f.constant(1f)));
      ConcreteFunction cond =
          ConcreteFunction.create(
              f -> {
                var i = f.placeholder(TInt32.class);
                var v = f.placeholder(TFloat32.class);
                return Signature.builder()
                    .input("i", i)
                    .input("v", v)
                    .output("go_on", f.math.less(i, f.constant(3)))
                    .build();
              });
      ConcreteFunction body =
          ConcreteFunction.create(
              f -> {
                var i = f.placeholder(TInt32.class);
                var v = f.placeholder(TFloat32.class);
                Operand<TBool> small = f.math.less(f.sum(v, f.constant(0)), f.constant(5f));
                Output<?> next =
                    f.statelessIf(small, List.of(v), List.of(TFloat32.class), square, plusOne)
                        .output()
                        .get(0);
                return Signature.builder()
                    .input("i", i)
                    .input("v", v)
                    .output("i_next", f.math.add(i, f.constant(1)))
                    .output("v_next", next)
                    .build();
              });
      Output<?> y = tf.statelessWhile(List.of(tf.constant(0), x), cond, body).output().get(1);
      Value expected = o.runTf(List.of(), List.of(y)).get(0);
      double[] hand = X.clone();
      for (int i = 0; i < 3; i++) {
        double sum = hand[0] + hand[1] + hand[2];
        for (int k = 0; k < 3; k++) {
          hand[k] = sum < 5 ? hand[k] * hand[k] : hand[k] + 1;
        }
      }
      assertClose(hand, expected.values(), "TensorFlow's nested If against the hand-worked loop");

      ImportedGraph imported = GraphDefs.importGraph(o.graphDef());
      Tensor ours = imported.tensor(y.op().name() + ":1");
      TfOracleTest.assertClose(
          expected, AnygraphRuns.run(o, imported, List.of(ours)).get(0), "nested If in While");
      checkGradientByFiniteDifferences(o, imported, ours, "x");

      imported.graph().save(tmp.resolve("nested"));
      Graph back = Graph.load(tmp.resolve("nested"));
      try (Session s = new Session(back)) {
        INDArray y2 =
            s.run(List.of(back.tensor(ours.name())), Map.of(back.tensor("x"), floatArray(X)))
                .get(0);
        assertClose(hand, y2.castTo(DataType.DOUBLE).data().asDouble(), "after GraphFile");
      }
    }
  }

  @Test
  void tensorFlowHasNoGradientForFunctionalControlFlow() {
    try (TfOracle o = new TfOracle()) {
      Ops tf = Ops.create(o.g);
      Output<?> x = o.input("x", X, 3);
      Operand<TBool> pred = tf.constant(true);
      ConcreteFunction sq = fn1((f, a) -> f.math.square(a));
      Output<?> y =
          tf.statelessIf(pred, List.of(x), List.of(TFloat32.class), sq, sq).output().get(0);
      assertThrows(RuntimeException.class, () -> o.g.addGradients(y, new Output<?>[] {x}));
    }
  }

  /** d sum(y) / d placeholder, symbolic, against central differences of the imported graph. */
  private static void checkGradientByFiniteDifferences(
      TfOracle o, ImportedGraph imported, Tensor y, String wrt) {
    Tensor x = imported.tensor(wrt);
    Tensor grad = imported.graph().grad(y, List.of(x)).get(0);
    Map<String, Value> feeds = o.feeds();
    try (Session s = new Session(imported.graph())) {
      Function<INDArray, Double> f =
          xv -> {
            Map<Tensor, INDArray> fed = new HashMap<>();
            feeds.forEach(
                (n, v) -> fed.put(imported.tensor(n), AnygraphRuns.array(v, o.isIntFeed(n))));
            fed.put(x, xv);
            return s.run(List.of(y), fed).get(0).castTo(DataType.DOUBLE).sumNumber().doubleValue();
          };
      Map<Tensor, INDArray> fed = new HashMap<>();
      feeds.forEach((n, v) -> fed.put(imported.tensor(n), AnygraphRuns.array(v, o.isIntFeed(n))));
      double[] symbolic =
          s.run(List.of(grad), fed).get(0).castTo(DataType.DOUBLE).data().asDouble();
      double[] x0 = feeds.get(wrt).values();
      double h = 1e-3;
      for (int i = 0; i < x0.length; i++) {
        double[] plus = x0.clone();
        double[] minus = x0.clone();
        plus[i] += h;
        minus[i] -= h;
        double fd = (f.apply(floatArray(plus)) - f.apply(floatArray(minus))) / (2 * h);
        assertEquals(
            fd, symbolic[i], 2e-2 * Math.max(1, Math.abs(fd)), "d/d" + wrt + "[" + i + "]");
      }
    }
  }

  /** A body of two float arguments. */
  interface Fn2 {
    Operand<TFloat32> apply(Ops f, Operand<TFloat32> a, Operand<TFloat32> b);
  }

  static ConcreteFunction fn1(BiFunction<Ops, Operand<TFloat32>, Operand<?>> body) {
    return ConcreteFunction.create(
        f -> {
          var a = f.placeholder(TFloat32.class);
          return Signature.builder().input("a", a).output("y", body.apply(f, a)).build();
        });
  }

  private static ConcreteFunction fn2(Fn2 body) {
    return ConcreteFunction.create(
        f -> {
          var a = f.placeholder(TFloat32.class);
          var b = f.placeholder(TFloat32.class);
          return Signature.builder()
              .input("a", a)
              .input("b", b)
              .output("y", body.apply(f, a, b))
              .build();
        });
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> floats(Output<?> t) {
    return (Operand<TFloat32>) t;
  }

  private static double[] pow4(double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * x[i] * x[i] * x[i];
    }
    return out;
  }

  private static double[] pow8(double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double x2 = x[i] * x[i];
      out[i] = x2 * x2 * x2 * x2;
    }
    return out;
  }

  private static INDArray floatArray(double[] v) {
    return Nd4j.createFromArray(v).castTo(DataType.FLOAT);
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          expected[i], actual[i], 1e-5 + 1e-4 * Math.abs(expected[i]), what + " [" + i + "]");
    }
  }
}
