package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random sources: moments of 100,000 draws against the distribution's (the bounds are about six
 * standard errors wide), and reproducibility with seeds.
 */
class RandomOpsTest {
  private static final int N = 100_000;

  private static double mean(INDArray a) {
    return a.castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }

  private static double variance(INDArray a) {
    INDArray d = a.castTo(DataType.DOUBLE);
    double m = mean(d);
    return d.sub(m).muli(d.sub(m)).meanNumber().doubleValue();
  }

  @Test
  @CoversForward("randomNormal")
  void normalHasTheRequestedMoments() {
    Graph g = new Graph();
    INDArray z = run(g.random().normal(DType.FLOAT64, Shape.of(N), 3, 0.5, 7L));
    assertEquals(3, mean(z), 6 * 0.5 / Math.sqrt(N));
    assertEquals(0.25, variance(z), 6 * 0.25 * Math.sqrt(2.0 / N));
    INDArray f = run(g.random().normal(DType.FLOAT32, Shape.of(4, 5), 0, 1, 7L));
    assertEquals(DataType.FLOAT, f.dataType());
  }

  @Test
  @CoversForward("randomUniform")
  void uniformStaysInRangeWithTheRequestedMoments() {
    Graph g = new Graph();
    INDArray u = run(g.random().uniform(DType.FLOAT64, Shape.of(N), -2, 6, 11L));
    assertTrue(u.minNumber().doubleValue() >= -2 && u.maxNumber().doubleValue() < 6);
    assertEquals(2, mean(u), 6 * Math.sqrt(64.0 / 12 / N));
    assertEquals(64.0 / 12, variance(u), 0.1);
  }

  @Test
  void seedsMakeDrawsRepeatAndRunsDrawAfresh() {
    Graph g1 = new Graph();
    Tensor a = g1.random().normal(DType.FLOAT64, Shape.of(8), 0, 1, 5L);
    Graph g2 = new Graph();
    Tensor b = g2.random().normal(DType.FLOAT64, Shape.of(8), 0, 1, 5L);
    Tensor c = g2.random().normal(DType.FLOAT64, Shape.of(8), 0, 1, 6L);
    assertEquals(run(a), run(b), "same op seed, same numbers in a fresh session");
    assertNotEquals(run(b), run(c), "different seeds");
    try (Session sess = new Session(g1)) {
      assertNotEquals(sess.run(a), sess.run(a), "each run draws new numbers");
    }
  }

  @Test
  void badParametersFailWhenBuilt() {
    Graph g = new Graph();
    AnygraphException e =
        assertThrows(
            AnygraphException.class, () -> g.random().uniform(DType.FLOAT32, Shape.of(2), 1, 1));
    assertTrue(e.getMessage().contains("randomUniform"), e.getMessage());
    assertThrows(
        AnygraphException.class, () -> g.random().normal(DType.FLOAT32, Shape.of(2), 0, -1));
    assertThrows(AnygraphException.class, () -> g.random().normal(DType.INT32, Shape.of(2), 0, 1));
    assertThrows(
        AnygraphException.class, () -> g.random().normal(DType.FLOAT32, Shape.of(-1), 0, 1));
  }
}
