package io.anygraph.local.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.autodiff.IndexedSlices;
import io.anygraph.core.train.Adagrad;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.AdamW;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Momentum;
import io.anygraph.core.train.Optimizer;
import io.anygraph.core.train.RMSProp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optimizers on an embedding table's sparse gradient, against their update rules written out here
 * per row: only the rows a step looks up change, their slots too (TensorFlow's lazy sparse
 * semantics), repeated ids add their gradients first. The loss {@code sum_p c_p |e_p|^2 / 2} over
 * looked-up rows e_p has gradient {@code w_r * sum_{p: id_p = r} c_p} for row r.
 */
class SparseOptimizersTest {
  private static final double[][] TABLE = {{1, -2}, {0.5, 3}, {-1, 1}, {2, 0.25}, {-0.5, -1.5}};

  /** Per step: the ids looked up (3 twice in the first step, 1 twice in the last). */
  private static final long[][] IDS = {{3, 1, 3}, {0, 3}, {1, 1, 4}, {2, 0}};

  private static final double[][] COEF = {{1, 2, 0.5}, {3, 1}, {0.2, 0.3, 1}, {0.7, 0.4}};

  /** One optimizer's rule on one row, in place; t is the 1-based step. */
  interface RowRule {
    void apply(double[] w, double[][] slots, double[] g, int t);
  }

  private record Model(Graph g, Variable table, Tensor ids, Tensor coef, Tensor loss) {}

  private static Model model() {
    Graph g = new Graph();
    Variable table = g.shared(Nd4j.createFromArray(TABLE), "table");
    Tensor ids = g.placeholder(DType.INT64, Shape.of(-1), "ids");
    Tensor coef = g.placeholder(DType.FLOAT64, Shape.of(-1), "coef");
    Tensor rows = g.nn().embeddingLookup(table, ids);
    Tensor loss = rows.square().mul(coef.reshape(-1, 1)).sum().mul(0.5);
    return new Model(g, table, ids, coef, loss);
  }

  private static double[][][] train(Optimizer opt) {
    Model m = model();
    Tensor step = opt.minimize(m.loss());
    double[][][] out = new double[IDS.length][][];
    try (Session sess = new Session(m.g())) {
      sess.initializeAllVariables();
      for (int s = 0; s < IDS.length; s++) {
        sess.run(
            step,
            Map.of(m.ids(), Nd4j.createFromArray(IDS[s]), m.coef(), Nd4j.createFromArray(COEF[s])));
        out[s] = sess.run(m.table()).toDoubleMatrix();
      }
    }
    return out;
  }

  private static void assertFollows(Optimizer opt, double[] slotInit, RowRule rule, String what) {
    double[][][] got = train(opt);
    double[][] w = new double[TABLE.length][];
    double[][][] slots = new double[TABLE.length][slotInit.length][2];
    for (int r = 0; r < w.length; r++) {
      w[r] = TABLE[r].clone();
      for (int k = 0; k < slotInit.length; k++) {
        slots[r][k][0] = slotInit[k];
        slots[r][k][1] = slotInit[k];
      }
    }
    for (int s = 0; s < IDS.length; s++) {
      double[] perRow = new double[TABLE.length];
      boolean[] touched = new boolean[TABLE.length];
      for (int p = 0; p < IDS[s].length; p++) {
        perRow[(int) IDS[s][p]] += COEF[s][p];
        touched[(int) IDS[s][p]] = true;
      }
      for (int r = 0; r < w.length; r++) {
        if (touched[r]) {
          double[] g = {w[r][0] * perRow[r], w[r][1] * perRow[r]};
          rule.apply(w[r], slots[r], g, s + 1);
        }
        for (int j = 0; j < 2; j++) {
          assertEquals(
              w[r][j], got[s][r][j], 1e-12, what + " step " + (s + 1) + " row " + r + " col " + j);
        }
      }
    }
  }

  @Test
  void gradientDescentSubtractsTheSummedRows() {
    double lr = 0.1;
    assertFollows(
        new GradientDescent(lr),
        new double[0],
        (w, s, g, t) -> {
          for (int j = 0; j < 2; j++) {
            w[j] -= lr * g[j];
          }
        },
        "sgd");
  }

  @Test
  void momentumAccumulatesOnlyTouchedRows() {
    double lr = 0.1;
    double mu = 0.9;
    assertFollows(
        new Momentum(lr, mu),
        new double[] {0},
        (w, s, g, t) -> {
          for (int j = 0; j < 2; j++) {
            s[0][j] = mu * s[0][j] + g[j];
            w[j] -= lr * s[0][j];
          }
        },
        "momentum");
  }

  @Test
  void adamAndAdamWAreLazyButCorrectBiasByTheGlobalStep() {
    double lr = 0.05;
    double b1 = 0.9;
    double b2 = 0.99;
    double eps = 1e-8;
    for (double wd : new double[] {0, 0.1}) {
      Optimizer opt = wd == 0 ? new Adam(lr, b1, b2, eps) : new AdamW(lr, wd, b1, b2, eps);
      assertFollows(
          opt,
          new double[] {0, 0},
          (w, s, g, t) -> {
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int j = 0; j < 2; j++) {
              s[0][j] = b1 * s[0][j] + (1 - b1) * g[j];
              s[1][j] = b2 * s[1][j] + (1 - b2) * g[j] * g[j];
              w[j] -= lrT * s[0][j] / (Math.sqrt(s[1][j]) + eps) + lr * wd * w[j];
            }
          },
          wd == 0 ? "adam" : "adamW");
    }
  }

  @Test
  void rmsPropCenteredWithMomentumOnTouchedRows() {
    double lr = 0.01;
    double rho = 0.8;
    double mu = 0.5;
    double eps = 1e-6;
    assertFollows(
        new RMSProp(lr, rho, mu, eps, true),
        new double[] {1, 0, 0},
        (w, s, g, t) -> {
          for (int j = 0; j < 2; j++) {
            s[0][j] = rho * s[0][j] + (1 - rho) * g[j] * g[j];
            s[2][j] = rho * s[2][j] + (1 - rho) * g[j];
            s[1][j] = mu * s[1][j] + lr * g[j] / Math.sqrt(s[0][j] - s[2][j] * s[2][j] + eps);
            w[j] -= s[1][j];
          }
        },
        "rmsprop");
  }

  @Test
  void adagradOnTouchedRows() {
    double lr = 0.3;
    assertFollows(
        new Adagrad(lr, 0.1),
        new double[] {0.1},
        (w, s, g, t) -> {
          for (int j = 0; j < 2; j++) {
            s[0][j] += g[j] * g[j];
            w[j] -= lr * g[j] / Math.sqrt(s[0][j]);
          }
        },
        "adagrad");
  }

  @Test
  void noDenseGradientIsPartOfTheStep() {
    for (Optimizer opt :
        List.of(new GradientDescent(0.1), new Adam(0.1), new RMSProp(0.1), new Adagrad(0.1))) {
      Model m = model();
      Tensor step = opt.minimize(m.loss());
      Set<String> ops = new HashSet<>();
      Deque<Node> todo = new ArrayDeque<>(List.of(step.node()));
      Set<Node> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        Node n = todo.pop();
        if (seen.add(n)) {
          ops.add(n.op());
          n.inputs().forEach(in -> todo.push(in.node()));
          n.controlInputs().forEach(todo::push);
        }
      }
      assertFalse(ops.contains(IndexedSlices.OP), "a dense gradient runs: " + ops);
      assertTrue(ops.contains("scatterSub") && ops.contains("sumDuplicateRows"), ops.toString());
    }
  }

  @Test
  void sparseGradientsAddByJoiningRowsAndMeetingADenseOneDensifies() {
    Model m = model();
    Tensor other = m.g().nn().embeddingLookup(m.table(), m.g().constant(Nd4j.createFromArray(4L)));
    Tensor twoLookups = m.loss().add(other.sum().mul(3));
    Tensor sparse = m.g().grad(twoLookups, m.table());
    IndexedSlices joined = IndexedSlices.of(sparse).orElseThrow();
    assertEquals("concat", joined.rows().op(), "two sparse parts are joined, not added");
    Tensor mixed = m.g().grad(m.loss().add(m.table().square().sum().mul(0.5)), m.table());
    assertTrue(IndexedSlices.of(mixed).isEmpty(), "sparse + dense is dense");
    Map<Tensor, INDArray> feeds =
        Map.of(m.ids(), Nd4j.createFromArray(IDS[0]), m.coef(), Nd4j.createFromArray(COEF[0]));
    try (Session sess = new Session(m.g())) {
      double[][] gs = sess.run(sparse, feeds).toDoubleMatrix();
      double[][] gm = sess.run(mixed, feeds).toDoubleMatrix();
      for (int r = 0; r < TABLE.length; r++) {
        double c = r == 3 ? 1 + 0.5 : r == 1 ? 2 : 0;
        for (int j = 0; j < 2; j++) {
          assertEquals(TABLE[r][j] * c + (r == 4 ? 3 : 0), gs[r][j], 1e-12, "sparse sum " + r);
          assertEquals(TABLE[r][j] * (c + 1), gm[r][j], 1e-12, "densified sum " + r);
        }
      }
    }
  }

  @Test
  void aStepsGradientBytesSparseAndDense() {
    Model m = model();
    IndexedSlices slices = IndexedSlices.of(m.g().grad(m.loss(), m.table())).orElseThrow();
    IndexedSlices.Bytes b = slices.bytes(IDS[0].length);
    // 3 rows of 2 doubles plus 3 int64 ids, against the 5 x 2 doubles of the table
    assertEquals(3 * (2 * 8 + 8), b.sparse());
    assertEquals(5 * 2 * 8, b.dense());
  }
}
