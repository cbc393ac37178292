package io.anygraph.local.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GlobalStep;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Momentum;
import io.anygraph.core.train.Schedules;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Learning-rate schedules evaluated at set global steps against TensorFlow's formulas written out
 * here, and the global step advanced by each training step.
 */
class SchedulesTest {
  private static void assertSchedule(
      Graph g, Variable step, Tensor lr, LongToDoubleFunction want, String what) {
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      for (long s : new long[] {0, 1, 3, 4, 5, 9, 10, 11, 25}) {
        sess.setVariableValue(step, Nd4j.scalar(s));
        assertEquals(want.applyAsDouble(s), sess.run(lr).getDouble(0), 1e-12, what + " at " + s);
      }
    }
  }

  @Test
  void exponentialDecaySmoothAndStaircase() {
    Graph g = new Graph();
    Variable step = GlobalStep.of(g);
    assertSchedule(
        g,
        step,
        Schedules.exponentialDecay(step, 0.1, 4, 0.5, false),
        s -> 0.1 * Math.pow(0.5, s / 4.0),
        "smooth");
    assertSchedule(
        g,
        step,
        Schedules.exponentialDecay(step, 0.1, 4, 0.5, true),
        s -> 0.1 * Math.pow(0.5, Math.floor(s / 4.0)),
        "staircase");
  }

  @Test
  void piecewiseConstantIncludesEachBoundaryInTheSegmentBeforeIt() {
    Graph g = new Graph();
    Variable step = GlobalStep.of(g);
    Tensor lr = Schedules.piecewiseConstant(step, new long[] {4, 10}, new double[] {1, 0.5, 0.1});
    assertSchedule(g, step, lr, s -> s <= 4 ? 1 : s <= 10 ? 0.5 : 0.1, "piecewise");
    assertThrows(
        AnygraphException.class,
        () -> Schedules.piecewiseConstant(step, new long[] {4}, new double[] {1}));
  }

  @Test
  void cosineDecayThenFlatAndLinearWarmup() {
    Graph g = new Graph();
    Variable step = GlobalStep.of(g);
    LongToDoubleFunction cosine =
        s -> {
          double done = Math.min(s, 10) / 10.0;
          return 0.2 * ((1 - 0.1) * 0.5 * (1 + Math.cos(Math.PI * done)) + 0.1);
        };
    Tensor cos = Schedules.cosineDecay(step, 0.2, 10, 0.1);
    assertSchedule(g, step, cos, cosine, "cosine");
    assertSchedule(
        g,
        step,
        Schedules.linearWarmup(step, cos, 4),
        s -> cosine.applyAsDouble(s) * Math.min(1, (s + 1) / 4.0),
        "warmup");
  }

  @Test
  void eachStepAdvancesTheGlobalStepAfterReadingTheRate() {
    Graph g = new Graph();
    Variable w = g.shared(Nd4j.createFromArray(2.0), "w");
    Variable step = GlobalStep.of(g);
    assertSame(step, GlobalStep.of(g), "one counter per graph");
    Tensor lr = Schedules.exponentialDecay(step, 0.1, 1, 0.5, true);
    Tensor train = new Momentum(lr, 0.0, false).minimize(w.square().sum().mul(0.5));
    Tensor plain = new GradientDescent(0.0).minimize(w.sum());
    double expect = 2;
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 4; s++) {
        sess.run(train, Map.of());
        expect -= 0.1 * Math.pow(0.5, s) * expect; // gradient w at the rate of step s
        assertEquals(expect, sess.run(w).getDouble(0), 1e-12, "w after step " + (s + 1));
        assertEquals(s + 1, sess.run(step).getLong(0), "global step");
      }
      sess.run(plain, Map.of());
      assertEquals(5, sess.run(step).getLong(0), "every optimizer's step counts");
    }
  }
}
