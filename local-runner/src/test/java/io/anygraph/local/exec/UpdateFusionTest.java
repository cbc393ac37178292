package io.anygraph.local.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Optimizer;
import io.anygraph.local.state.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optimizer updates run as one step ({@link UpdateFusion}): the variables after several steps are
 * the unfused program's, bit for bit, and gradient descent's match the update worked out here by
 * hand; the variable's own array changes when nothing can see its old values, a copy when something
 * can; nothing is fused where the intermediate is seen.
 */
class UpdateFusionTest {
  private static final float[][] X = {{1, 2, -1}, {0.5f, -1, 2}, {-2, 0.25f, 1}, {1, 1, 1}};
  private static final float[][] W0 = {{0.1f, -0.2f}, {0.3f, 0.05f}, {-0.4f, 0.2f}};
  private static final float[] B0 = {0.01f, -0.02f};
  private static final double LR = 0.1;

  /** loss = mean over the batch of Σ_j (xW + b)_j², trained by the optimizer {@code opt}. */
  private static final class Net {
    final Graph g = new Graph();
    final Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    final Variable w = g.shared(Nd4j.createFromArray(W0), "w");
    final Variable b = g.shared(Nd4j.createFromArray(B0), "b");
    final Tensor loss = x.matmul(w).add(b).square().sum(1).mean();
    final Tensor step;
    final RunState state = new RunState(g);

    Net(Function<Double, Optimizer> opt) {
      step = opt.apply(LR).minimize(loss);
      initialize(g, state);
    }

    Program compile(boolean fuse, Tensor... fetches) {
      return Compiler.compile(List.of(fetches), Set.of(x), false, fuse);
    }

    List<INDArray> run(Program p) {
      return p.run(Map.of(x, Nd4j.createFromArray(X)), state);
    }

    INDArray stored(Variable v) {
      return state.variables().readForRun(v.node());
    }
  }

  /** Variables without a value (the optimizer's slots) start from their initializers. */
  private static void initialize(Graph g, RunState state) {
    for (Variable v : g.variables()) {
      if (!state.variables().has(v.node())) {
        INDArray init =
            Compiler.compile(List.of(v.initializer()), Set.of()).run(Map.of(), state).get(0);
        state.variables().writeOwned(v.node(), init);
      }
    }
  }

  private static void assertSameVariables(Net plain, Net fused) {
    assertArrayEquals(
        plain.stored(plain.w).data().asFloat(), fused.stored(fused.w).data().asFloat());
    assertArrayEquals(
        plain.stored(plain.b).data().asFloat(), fused.stored(fused.b).data().asFloat());
  }

  private static List<String> ops(Program p) {
    List<String> out = new ArrayList<>();
    for (int s = 0; s < p.size(); s++) {
      out.add(p.op(s));
    }
    return out;
  }

  @Test
  void gradientDescentIsOneStepPerVariableAndTheSameBitsAsUnfused() {
    Net fused = new Net(GradientDescent::new);
    Net plain = new Net(GradientDescent::new);
    Program pf = fused.compile(true, fused.step);
    Program pp = plain.compile(false, plain.step);
    assertEquals(
        2L, ops(pf).stream().filter("applyGradientDescent"::equals).count(), ops(pf).toString());
    assertFalse(ops(pf).contains("assign"), ops(pf).toString());
    assertEquals(pp.size() - 4, pf.size(), "a sub and a mul absorbed per variable");
    for (int i = 0; i < 3; i++) {
      fused.run(pf);
      plain.run(pp);
      assertSameVariables(plain, fused);
    }
  }

  @Test
  void gradientDescentMatchesTheUpdateWorkedOutByHand() {
    Net n = new Net(GradientDescent::new);
    n.run(n.compile(true, n.step));
    // y = xW + b; loss = (1/N) Σ_i Σ_j y_ij²; dW = (2/N) xᵀy; db = (2/N) Σ_i y_i
    int rows = X.length;
    double[][] y = new double[rows][2];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < 2; j++) {
        y[i][j] = B0[j];
        for (int k = 0; k < 3; k++) {
          y[i][j] += X[i][k] * W0[k][j];
        }
      }
    }
    INDArray w = n.stored(n.w);
    INDArray b = n.stored(n.b);
    for (int j = 0; j < 2; j++) {
      double db = 0;
      for (int i = 0; i < rows; i++) {
        db += 2.0 / rows * y[i][j];
      }
      assertEquals(B0[j] - LR * db, b.getDouble(j), 1e-6, "b[" + j + "]");
      for (int k = 0; k < 3; k++) {
        double dw = 0;
        for (int i = 0; i < rows; i++) {
          dw += 2.0 / rows * X[i][k] * y[i][j];
        }
        assertEquals(W0[k][j] - LR * dw, w.getDouble(k, j), 1e-6, "w[" + k + "][" + j + "]");
      }
    }
  }

  @Test
  void largeVariablesTakeTheNativePathWithTheSameBits() {
    // above SmallElementwise's 256 elements: libnd4j's axpy and subtract, not the Java loops
    INDArray w0 = Nd4j.rand(DataType.FLOAT, 40, 30).subi(0.5);
    INDArray x0 = Nd4j.rand(DataType.FLOAT, 16, 40).subi(0.5);
    for (boolean adam : new boolean[] {false, true}) {
      float[] out = new float[2];
      float[][] values = new float[2][];
      for (int fuse = 0; fuse < 2; fuse++) {
        Graph g = new Graph();
        Variable w = g.shared(w0.dup(), "w");
        Tensor x = g.constant(x0.dup(), "x");
        Tensor loss = x.matmul(w).square().mean();
        Tensor step = (adam ? new Adam(LR) : new GradientDescent(LR)).minimize(loss);
        RunState state = new RunState(g);
        initialize(g, state);
        Program p = Compiler.compile(List.of(step), Set.of(), false, fuse == 1);
        assertEquals(
            fuse == 1,
            ops(p).contains(adam ? "assignSub" : "applyGradientDescent"),
            ops(p).toString());
        INDArray before = state.variables().readForRun(w.node()).dup();
        for (int i = 0; i < 3; i++) {
          p.run(Map.of(), state);
        }
        values[fuse] = state.variables().readForRun(w.node()).data().asFloat();
        out[fuse] = (float) before.distance2(state.variables().readForRun(w.node()));
      }
      assertArrayEquals(values[0], values[1], 0f, adam ? "Adam" : "SGD");
      assertTrue(out[1] > 0, "the variable moved");
    }
  }

  @Test
  void adamEndsInOneSubtractionPerVariableWithTheSameBits() {
    Net fused = new Net(Adam::new);
    Net plain = new Net(Adam::new);
    Program pf = fused.compile(true, fused.step);
    Program pp = plain.compile(false, plain.step);
    assertEquals(2L, ops(pf).stream().filter("assignSub"::equals).count(), ops(pf).toString());
    for (int i = 0; i < 3; i++) {
      fused.run(pf);
      plain.run(pp);
    }
    assertSameVariables(plain, fused);
  }

  @Test
  void theVariablesOwnArrayChangesWhenNothingSeesTheOldValues() {
    Net n = new Net(GradientDescent::new);
    Program p = n.compile(true, n.step);
    n.run(p); // the first step replaces the initial value (the graph's, not the store's own)
    INDArray w = n.stored(n.w);
    float before = w.getFloat(0, 0);
    n.run(p);
    assertSame(w, n.stored(n.w), "updated in place");
    assertTrue(w.getFloat(0, 0) != before, "and changed");
  }

  @Test
  void aVariableFetchedBesideTheStepKeepsItsOldValues() {
    Net n = new Net(GradientDescent::new);
    Program warm = n.compile(true, n.step);
    n.run(warm);
    INDArray stored = n.stored(n.w);
    float[] old = stored.data().asFloat().clone();
    Program p = n.compile(true, n.w, n.step);
    INDArray fetched = n.run(p).get(0);
    assertArrayEquals(old, fetched.data().asFloat(), 0f, "the value read before the update");
    assertNotSame(stored, n.stored(n.w), "copied, not changed in place");
    assertArrayEquals(old, stored.data().asFloat(), 0f, "the old array untouched");
  }

  @Test
  void nothingIsFusedWhereTheNewValueOrTheDeltaIsSeen() {
    Graph g = new Graph();
    Variable v = g.shared(Nd4j.createFromArray(1f, 2f), "v");
    Tensor g1 = g.constant(Nd4j.createFromArray(0.5f, 0.25f), "g");
    Tensor delta = g1.mul(g.constant(0.1, DType.FLOAT32));
    Tensor next = v.sub(delta);
    Tensor update = g.ops().assign(v, next);
    List<String> seenNext = ops(Compiler.compile(List.of(update, next), Set.of(), false, true));
    assertTrue(seenNext.contains("assign") && seenNext.contains("sub"), seenNext.toString());
    List<String> seenDelta = ops(Compiler.compile(List.of(update, delta), Set.of(), false, true));
    assertTrue(seenDelta.contains("assignSub") && seenDelta.contains("mul"), seenDelta.toString());
    List<String> plain = ops(Compiler.compile(List.of(update), Set.of(), false, true));
    assertEquals(List.of("variable", "constant", "constant", "applyGradientDescent"), plain);
  }

  @Test
  void aVariableWrittenTwiceInOneProgramIsLeftAlone() {
    Graph g = new Graph();
    Variable v = g.shared(Nd4j.createFromArray(1f, 2f), "v");
    Tensor a = g.ops().assign(v, v.sub(g.constant(Nd4j.createFromArray(1f, 1f), "one")));
    Tensor b = g.ops().assignAdd(v, g.constant(Nd4j.createFromArray(3f, 3f), "three"));
    List<String> ops =
        ops(Compiler.compile(List.of(g.ops().group(List.of(a, b))), Set.of(), false, true));
    assertTrue(ops.contains("assign") && ops.contains("sub"), ops.toString());
  }
}
