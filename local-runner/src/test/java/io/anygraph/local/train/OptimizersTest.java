package io.anygraph.local.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adagrad;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.AdamW;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Momentum;
import io.anygraph.core.train.Optimizer;
import io.anygraph.core.train.RMSProp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optimizer steps on loss = sum(c * w^2) / 2, whose gradient is c * w: the expected parameter
 * trajectories are computed here with plain Java arithmetic from the published update rules.
 */
class OptimizersTest {
  private static final double[] W0 = {1.0, -2.0, 0.5};
  private static final double[] C = {1.0, 3.0, 0.2};

  private double[][] train(Optimizer opt, int steps) {
    Graph g = new Graph();
    Variable w = g.shared(Nd4j.createFromArray(W0.clone()), "w");
    Tensor c = g.constant(Nd4j.createFromArray(C.clone()));
    Tensor loss = c.mul(w.square()).sum().mul(0.5);
    Tensor step = opt.minimize(loss);
    double[][] out = new double[steps][];
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      for (int s = 0; s < steps; s++) {
        sess.run(step, Map.of());
        out[s] = sess.run(w).toDoubleVector();
      }
    }
    return out;
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-12, what + " element " + i);
    }
  }

  @Test
  void gradientDescent() {
    double lr = 0.1;
    double[] w = W0.clone();
    double[][] got = train(new GradientDescent(lr), 3);
    for (int s = 0; s < 3; s++) {
      for (int i = 0; i < w.length; i++) {
        w[i] -= lr * C[i] * w[i];
      }
      assertClose(w, got[s], "step " + (s + 1));
    }
  }

  @Test
  void momentumAndNesterov() {
    for (boolean nesterov : new boolean[] {false, true}) {
      double lr = 0.1;
      double m = 0.9;
      double[] w = W0.clone();
      double[] a = new double[3];
      double[][] got = train(new Momentum(lr, m, nesterov), 4);
      for (int s = 0; s < 4; s++) {
        for (int i = 0; i < 3; i++) {
          double grad = C[i] * w[i];
          a[i] = m * a[i] + grad;
          w[i] -= lr * (nesterov ? grad + m * a[i] : a[i]);
        }
        assertClose(w, got[s], (nesterov ? "nesterov" : "momentum") + " step " + (s + 1));
      }
    }
  }

  @Test
  void adamWithBiasCorrection() {
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double[] w = W0.clone();
    double[] m = new double[3];
    double[] v = new double[3];
    double[][] got = train(new Adam(lr, b1, b2, eps), 5);
    for (int t = 1; t <= 5; t++) {
      double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < 3; i++) {
        double grad = C[i] * w[i];
        m[i] = b1 * m[i] + (1 - b1) * grad;
        v[i] = b2 * v[i] + (1 - b2) * grad * grad;
        w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
      }
      assertClose(w, got[t - 1], "adam step " + t);
    }
  }

  @Test
  void adamWDecaysTheWeightsApartFromTheMoments() {
    double lr = 0.01;
    double wd = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-7;
    double[] w = W0.clone();
    double[] m = new double[3];
    double[] v = new double[3];
    double[][] got = train(new AdamW(lr, wd, b1, b2, eps), 5);
    for (int t = 1; t <= 5; t++) {
      double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < 3; i++) {
        double grad = C[i] * w[i];
        m[i] = b1 * m[i] + (1 - b1) * grad;
        v[i] = b2 * v[i] + (1 - b2) * grad * grad;
        // Loshchilov and Hutter: the decay lr * wd * w is not divided by sqrt(v)
        w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps) + lr * wd * w[i];
      }
      assertClose(w, got[t - 1], "adamW step " + t);
    }
  }

  @Test
  void rmsPropPlainCenteredAndWithMomentum() {
    for (boolean centered : new boolean[] {false, true}) {
      double lr = 0.01;
      double rho = 0.9;
      double mu = 0.5;
      double eps = 1e-10;
      double[] w = W0.clone();
      double[] ms = {1, 1, 1}; // TensorFlow 1.x starts the mean square at 1
      double[] mg = new double[3];
      double[] mom = new double[3];
      double[][] got = train(new RMSProp(lr, rho, mu, eps, centered), 4);
      for (int s = 0; s < 4; s++) {
        for (int i = 0; i < 3; i++) {
          double grad = C[i] * w[i];
          ms[i] = rho * ms[i] + (1 - rho) * grad * grad;
          mg[i] = rho * mg[i] + (1 - rho) * grad;
          double denom = centered ? ms[i] - mg[i] * mg[i] : ms[i];
          mom[i] = mu * mom[i] + lr * grad / Math.sqrt(denom + eps);
          w[i] -= mom[i];
        }
        assertClose(w, got[s], (centered ? "centered" : "plain") + " rmsprop step " + (s + 1));
      }
    }
  }

  @Test
  void adagradFromItsInitialAccumulator() {
    double lr = 0.5;
    double[] w = W0.clone();
    double[] acc = {0.2, 0.2, 0.2};
    double[][] got = train(new Adagrad(lr, 0.2), 4);
    for (int s = 0; s < 4; s++) {
      for (int i = 0; i < 3; i++) {
        double grad = C[i] * w[i];
        acc[i] += grad * grad;
        w[i] -= lr * grad / Math.sqrt(acc[i]);
      }
      assertClose(w, got[s], "adagrad step " + (s + 1));
    }
  }

  @Test
  void slotsAreNotTrainedAndEmptyGraphsAreRejected() {
    Graph g = new Graph();
    Variable w = g.shared(Nd4j.createFromArray(1.0), "w");
    new Adam(0.1).minimize(w.square().sum());
    for (Variable v : g.variables()) {
      if (v != w) {
        assertFalse(v.isTrainable(), v.name());
      }
    }
    Graph empty = new Graph();
    Tensor x = empty.scalar(DType.FLOAT64, "x");
    assertThrows(AnygraphException.class, () -> new GradientDescent(0.1).minimize(x.square()));
  }
}
