package io.anygraph.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.FeedException;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.ShapeException;
import io.anygraph.core.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Every bad feed fails with a clear message before any kernel runs. */
class FeedValidationTest {
  private final Graph g = new Graph();
  private final Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
  private final Tensor w = g.placeholder(DType.FLOAT32, Shape.of(3, 2), "w");
  private final Tensor y = x.matmul(w);
  private final Session sess = new Session(g);

  private String fail(Map<?, ?> feeds) {
    return assertThrows(FeedException.class, () -> sess.run(y, feeds)).getMessage();
  }

  @Test
  void missingPlaceholdersAreNamed() {
    String m = fail(Map.of(x, new float[][] {{1, 2, 3}}));
    assertTrue(m.contains("'w'") && m.contains("float32[3, 2]"), m);
    m = fail(Map.of());
    assertTrue(m.contains("'x'") && m.contains("'w'"), m);
  }

  @Test
  void unknownNamesAndKeysAreRejected() {
    assertTrue(fail(Map.of("nope", 1)).contains("nope"));
    assertTrue(fail(Map.of(3, 1)).contains("Integer"));
  }

  @Test
  void wrongDtypeIsRejected() {
    String m =
        fail(Map.of(x, Nd4j.createFromArray(new double[][] {{1, 2, 3}}), w, Nd4j.ones(3, 2)));
    assertTrue(m.contains("'x'") && m.contains("float64") && m.contains("float32"), m);
    Tensor i8 = g.placeholder(DType.INT8, "i8");
    assertThrows(FeedException.class, () -> sess.run(i8, Map.of(i8, 300)));
    assertThrows(FeedException.class, () -> sess.run(i8, Map.of(i8, 1.5)));
    assertThrows(FeedException.class, () -> sess.run(i8, Map.of(i8, true)));
    assertEquals(-128, sess.run(i8, Map.of(i8, -128)).getInt(0));
  }

  @Test
  void javaArraysOfAnyRankAndElementTypeAreFed() {
    Tensor cube = g.placeholder(DType.FLOAT64, Shape.of(2, 2, 2), "cube");
    double[][][] values = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}};
    assertEquals(7.0, sess.run(cube, Map.of(cube, values)).getDouble(1, 1, 0));
    Tensor mask = g.placeholder(DType.BOOL, Shape.of(2, 2), "mask");
    assertTrue(
        sess.run(mask, Map.of(mask, new boolean[][] {{true, false}, {false, true}})).getDouble(1, 1)
            != 0);
    Tensor bytes = g.placeholder(DType.INT8, Shape.of(1, 2), "bytes");
    assertEquals(-7, sess.run(bytes, Map.of(bytes, new byte[][] {{3, -7}})).getInt(0, 1));
    Tensor shorts = g.placeholder(DType.INT32, Shape.of(2, 1), "shorts");
    assertEquals(-300, sess.run(shorts, Map.of(shorts, new short[][] {{5}, {-300}})).getInt(1, 0));
    Tensor images = g.placeholder(DType.FLOAT32, Shape.of(-1, 2, 2, 1), "images");
    float[][][][] one = {{{{1}, {2}}, {{3}, {4}}}};
    assertEquals(4f, sess.run(images, Map.of(images, one)).getFloat(0, 1, 1, 0));
  }

  @Test
  void raggedAndNonNumericArraysAreRejectedByName() {
    String m = fail(Map.of(x, new float[][] {{1, 2, 3}, {4, 5}}, w, new float[3][2]));
    assertTrue(m.contains("'x'") && m.contains("ragged") && m.contains("[1]"), m);
    Tensor cube = g.placeholder(DType.FLOAT64, Shape.of(2, 2, 2), "cube");
    m =
        assertThrows(
                FeedException.class,
                () ->
                    sess.run(
                        cube, Map.of(cube, new double[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7}}})))
            .getMessage();
    assertTrue(m.contains("'cube'") && m.contains("[1][1]") && m.contains("1 elements"), m);
    m =
        assertThrows(
                FeedException.class, () -> sess.run(cube, Map.of(cube, new String[][] {{"a"}})))
            .getMessage();
    assertTrue(m.contains("String"), m);
  }

  @Test
  void wrongStaticShapeIsRejected() {
    String m = fail(Map.of(x, new float[][] {{1, 2}}, w, new float[][] {{1, 2}, {3, 4}, {5, 6}}));
    assertTrue(m.contains("[1, 2]") && m.contains("[?, 3]"), m);
  }

  @Test
  void runTimeShapeConflictsNameTheNodeBeforeNd4jSeesThem() {
    Tensor a = g.placeholder(DType.FLOAT32, Shape.of(-1), "a");
    Tensor b = g.placeholder(DType.FLOAT32, Shape.of(-1), "b");
    Tensor sum = g.withName("sum").add(a, b);
    ShapeException e =
        assertThrows(
            ShapeException.class,
            () -> sess.run(sum, Map.of(a, new float[] {1, 2, 3}, b, new float[] {1, 2})));
    assertTrue(
        e.getMessage().contains("'sum'")
            && e.getMessage().contains("[3]")
            && e.getMessage().contains("[2]"),
        e.getMessage());
    Tensor r = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "r").reshape(-1, 2);
    assertThrows(ShapeException.class, () -> sess.run(r, Map.of("r", new float[][] {{1, 2, 3}})));
  }

  @Test
  void integerDivisionByZeroIsAnErrorNotACrash() {
    Tensor a = g.placeholder(DType.INT32, Shape.of(2), "n");
    Tensor d = g.placeholder(DType.INT32, Shape.of(2), "d");
    ArithmeticException e =
        assertThrows(
            ArithmeticException.class,
            () -> sess.run(a.div(d), Map.of(a, new int[] {1, 2}, d, new int[] {1, 0})));
    assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    assertEquals(
        -3, sess.run(a.div(d), Map.of(a, new int[] {-7, 7}, d, new int[] {2, 2})).getInt(0));
  }
}
