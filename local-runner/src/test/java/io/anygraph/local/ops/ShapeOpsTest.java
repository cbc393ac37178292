package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shapes as int64 vectors, and reshapes and slices driven by them, against hand-worked values. */
class ShapeOpsTest {
  // x[i][j] = 10 i + j, a [3, 4] matrix
  private static final double[] X = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};

  private static Tensor longs(Graph g, long... v) {
    return g.constant(Nd4j.createFromArray(v));
  }

  private static Tensor add(Graph g, String op, Attrs attrs, Tensor... inputs) {
    return g.add(op, List.of(inputs), attrs, null).get(0);
  }

  @Test
  @CoversForward({"shape", "reducedShape", "concatOffset"})
  void shapesAsValues() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, "x");
    Map<Tensor, INDArray> feed = Map.of(x, Nd4j.zeros(DataType.FLOAT, 2, 3, 4));
    assertEquals(Shape.of(-1), g.ops().shape(x).shape(), "the rank is not known when built");
    assertLongs(DType.INT64, new long[] {3}, new long[] {2, 3, 4}, run(g.ops().shape(x), feed));
    assertLongs(
        DType.INT64,
        new long[] {0},
        new long[0],
        run(g.ops().shape(g.constant(1.0, DType.FLOAT64))));
    Tensor kept = add(g, "reducedShape", Attrs.of("axes", new long[] {-1, 0}), g.ops().shape(x));
    assertLongs(DType.INT64, new long[] {3}, new long[] {1, 3, 1}, run(kept, feed));
    // inputs [2,3], [2,5], [2,1] joined along axis 1 (and -1): the third begins at column 3 + 5
    Tensor a = longs(g, 2, 3);
    Tensor b = longs(g, 2, 5);
    Tensor c = longs(g, 2, 1);
    assertLongs(
        DType.INT64,
        new long[] {2},
        new long[] {0, 8},
        run(add(g, "concatOffset", Attrs.of("axis", 1L), a, b, c)));
    assertLongs(
        DType.INT64,
        new long[] {2},
        new long[] {0, 3},
        run(add(g, "concatOffset", Attrs.of("axis", -1L), a, b)));
    assertLongs(
        DType.INT64,
        new long[] {2},
        new long[] {0, 0},
        run(add(g, "concatOffset", Attrs.of("axis", 1L), a)));
  }

  @Test
  @CoversForward("reshapeTo")
  void reshapeToAComputedShape() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {3, 4}, X));
    assertValues(DType.FLOAT64, new long[] {2, 6}, X, run(g.ops().reshape(x, longs(g, 2, -1))));
    assertValues(
        DType.FLOAT64,
        new long[] {4, 3},
        X,
        run(g.ops().reshape(x, g.ops().shape(g.constant(Nd4j.zeros(4, 3))))));
    AnygraphException e =
        assertThrows(
            AnygraphException.class, () -> run(g.withName("bad").reshape(x, longs(g, 5, -1))));
    assertTrue(
        e.getMessage().contains("'bad'")
            && e.getMessage().contains("reshapeTo")
            && e.getMessage().contains("12 elements")
            && e.getMessage().contains("[5, -1]"),
        e.getMessage());
    AnygraphException notAShape =
        assertThrows(
            AnygraphException.class, () -> g.ops().reshape(x, g.constant(1.0, DType.FLOAT64, 2)));
    assertTrue(notAShape.getMessage().contains("integer vector"), notAShape.getMessage());
  }

  @Test
  @CoversForward({"dynamicSlice", "dynamicSliceGrad"})
  void slicesAtComputedPlaces() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {3, 4}, X));
    // rows 1..2, columns 1 to the end
    assertValues(
        DType.FLOAT64,
        new long[] {2, 3},
        new double[] {11, 12, 13, 21, 22, 23},
        run(g.ops().slice(x, longs(g, 1, 1), longs(g, 2, -1))));
    Tensor dy = g.constant(doubles(new long[] {2, 2}, 1, 2, 3, 4));
    Tensor placed = add(g, "dynamicSliceGrad", Attrs.empty(), x, dy, longs(g, 1, 2));
    assertValues(
        DType.FLOAT64,
        new long[] {3, 4},
        new double[] {0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4},
        run(placed));
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> run(g.withName("outside").slice(x, longs(g, 2, 0), longs(g, 2, -1))));
    assertTrue(
        e.getMessage().contains("'outside'")
            && e.getMessage().contains("dynamicSlice")
            && e.getMessage().contains("axis 0 of size 3"),
        e.getMessage());
    AnygraphException rank =
        assertThrows(AnygraphException.class, () -> g.ops().slice(x, longs(g, 0), longs(g, 1)));
    assertTrue(rank.getMessage().contains("one per axis of [3, 4]"), rank.getMessage());
  }

  @Test
  @CoversGradient({"reshapeTo", "dynamicSlice", "dynamicSliceGrad"})
  void gradientsByFiniteDifferences() {
    INDArray x = doubles(new long[] {3, 4}, X).mul(0.1);
    GradCheck.check(x, t -> t.graph().ops().reshape(t, longs(t.graph(), 6, -1)).square());
    GradCheck.check(
        x, t -> t.graph().ops().slice(t, longs(t.graph(), 1, 0), longs(t.graph(), -1, 3)).square());
    GradCheck.check(
        doubles(new long[] {2, 2}, 1, -2, 3, 0.5),
        dy -> {
          Graph g = dy.graph();
          return add(
              g, "dynamicSliceGrad", Attrs.empty(), g.constant(x), dy.square(), longs(g, 0, 2));
        });
  }
}
