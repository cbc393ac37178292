package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** concat, slice, gather (and their gradient ops) against row-major bookkeeping; dropout masks. */
class SelectionOpsTest {
  private static final double[] X = {1, 2, 3, 4, 5, 6}; // [2,3]

  @Test
  @CoversForward({"concat", "slice", "gather"})
  void pickAndJoin() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {2, 3}, X));
    Tensor y = g.constant(doubles(new long[] {1, 3}, 7, 8, 9));
    assertValues(
        DType.FLOAT64,
        new long[] {3, 3},
        new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
        run(g.ops().concat(List.of(x, y), 0)));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 4},
        new double[] {1, 2, 3, 1, 4, 5, 6, 4},
        run(
            g.ops()
                .concat(List.of(x, g.ops().slice(x, new long[] {0, 0}, new long[] {-1, 1})), -1)));
    assertValues(
        DType.FLOAT64,
        new long[] {1, 2},
        new double[] {5, 6},
        run(g.ops().slice(x, new long[] {1, 1}, new long[] {1, -1})));
    Tensor idx = g.constant(Nd4j.createFromArray(new int[][] {{1, 0}, {1, 1}}));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 2, 3},
        new double[] {4, 5, 6, 1, 2, 3, 4, 5, 6, 4, 5, 6},
        run(g.ops().gather(x, idx)));
  }

  @Test
  @CoversForward("pad")
  @CoversGradient("pad")
  void padSurroundsWithAConstantAndItsGradientDropsTheBorder() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {2, 3}, X));
    // one row above, none below; two columns left, one right
    assertValues(
        DType.FLOAT64,
        new long[] {3, 6},
        new double[] {
          0, 0, 0, 0, 0, 0,
          0, 0, 1, 2, 3, 0,
          0, 0, 4, 5, 6, 0
        },
        run(g.ops().pad(x, new long[][] {{1, 0}, {2, 1}})));
    Tensor ints = g.constant(Nd4j.createFromArray(new int[] {7, 8}));
    assertValues(
        DType.INT32,
        new long[] {5},
        new double[] {-1, 7, 8, -1, -1},
        run(g.ops().pad(ints, new long[][] {{1, 2}}, -1)));
    GradCheck.check(
        Nd4j.rand(3, new long[] {2, 3, 2}).castTo(DataType.DOUBLE),
        t ->
            t.graph()
                .ops()
                .pad(t, new long[][] {{0, 1}, {2, 0}, {1, 1}})
                .mul(t.graph().ops().pad(t, new long[][] {{1, 0}, {0, 2}, {2, 0}})));
    Tensor open = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "rows");
    assertEquals(Shape.of(-1, 5), g.ops().pad(open, new long[][] {{0, 0}, {1, 1}}).shape());
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> g.ops().pad(open, new long[][] {{0, 0}}));
    assertTrue(
        e.getMessage().contains("rows") && e.getMessage().contains("pair per axis"),
        e.getMessage());
    e =
        assertThrows(
            AnygraphException.class, () -> g.ops().pad(open, new long[][] {{0, 0}, {-1, 0}}));
    assertTrue(e.getMessage().contains("negative"), e.getMessage());
  }

  @Test
  void badIndicesAndShapesAreClearErrors() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "table");
    Tensor idx = g.placeholder(DType.INT32, Shape.of(-1), "idx");
    Tensor picked = g.ops().gather(x, idx);
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> run(picked, Map.of(x, Nd4j.zeros(DataType.FLOAT, 2, 3), idx, new int[] {0, 2})));
    assertTrue(
        e.getMessage().contains("gather") && e.getMessage().contains("index 2"), e.getMessage());
    assertThrows(
        AnygraphException.class, () -> g.ops().slice(x, new long[] {0, 2}, new long[] {1, 2}));
    assertThrows(
        AnygraphException.class,
        () -> g.ops().concat(List.of(x, g.placeholder(DType.FLOAT32, Shape.of(-1, 4), "wide")), 0));
  }

  @Test
  @CoversGradient({"concat", "slice", "gather", "sliceGrad", "scatterAdd"})
  @CoversForward({"sliceGrad", "scatterAdd"})
  void gradients() {
    INDArray a = doubles(new long[] {2, 3}, X);
    INDArray b = doubles(new long[] {2, 2}, -1, 0.5, 2, 3);
    GradCheck.check(List.of(a, b), xs -> xs.get(0).graph().ops().concat(xs, 1));
    GradCheck.check(a, t -> t.graph().ops().slice(t, new long[] {0, 1}, new long[] {2, -1}));
    // row 1 picked twice: its gradient accumulates (the scatterAdd op)
    GradCheck.check(
        List.of(a, Nd4j.createFromArray(1, 0, 1)),
        xs -> xs.get(0).graph().ops().gather(xs.get(0), xs.get(1)));
    // gradients of the gradient ops: sliceGrad's is a slice, scatterAdd's a gather
    GradCheck.check(
        a,
        t -> {
          Tensor s = t.graph().ops().slice(t, new long[] {1, 0}, new long[] {1, 2});
          return t.graph().grad(s.square().sum(), t);
        });
    GradCheck.check(
        a,
        t -> {
          Tensor rows = t.graph().ops().gather(t, t.graph().constant(Nd4j.createFromArray(0, 0)));
          return t.graph().grad(rows.square().sum(), t);
        });
  }

  @Test
  @CoversForward({"gather", "scatterAdd"})
  @CoversGradient({"gather", "scatterAdd"})
  void stridedIndicesAreReadInTheirOwnOrder() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {3, 2}, X));
    // transpose gives a view whose buffer order (0, 1, 2, 2) differs from its row-major order
    Tensor idx = g.ops().transpose(g.constant(Nd4j.createFromArray(new int[][] {{0, 1}, {2, 2}})));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 2, 2},
        new double[] {1, 2, 5, 6, 3, 4, 5, 6},
        run(g.ops().gather(x, idx)));
    // weighted loss: each row of dy must be added at its own index
    GradCheck.check(
        List.of(doubles(new long[] {3, 2}, X), Nd4j.createFromArray(new int[][] {{0, 1}, {2, 2}})),
        xs ->
            xs.get(0)
                .graph()
                .ops()
                .gather(xs.get(0), xs.get(0).graph().ops().transpose(xs.get(1))));
  }

  @Test
  @CoversForward("randomUniformLike")
  void dropoutKeepsScaledElementsAndItsGradientUsesTheSameMask() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(-1, 1000), "x");
    Tensor y = g.nn().dropout(x, 0.25, 7L);
    Tensor dx = g.grad(y.sum(), x);
    INDArray ones = Nd4j.ones(DataType.DOUBLE, 4, 1000);
    try (Session s = new Session(g)) {
      List<INDArray> r = s.run(List.of(y, dx), Map.of(x, ones));
      INDArray out = r.get(0);
      long kept = out.neq(0).castTo(DataType.INT).sumNumber().longValue();
      assertEquals(3000, kept, 6 * Math.sqrt(4000 * 0.25 * 0.75), "about 75% kept");
      assertEquals(
          out.maxNumber().doubleValue(), 1 / 0.75, 1e-12, "kept values scaled by 1/(1-rate)");
      assertEquals(out, r.get(1), "for x = 1, dy/dx is the scaled mask itself");
      assertNotEquals(out, s.run(y, Map.of(x, ones)), "a new mask each run");
    }
    Graph again = new Graph();
    Tensor x2 = again.placeholder(DType.FLOAT64, Shape.of(-1, 1000), "x");
    Tensor y2 = again.nn().dropout(x2, 0.25, 7L);
    try (Session s1 = new Session(g);
        Session s2 = new Session(again)) {
      assertEquals(s1.run(y, Map.of(x, ones)), s2.run(y2, Map.of(x2, ones)), "seeded masks repeat");
    }
    assertEquals(ones, run(g.nn().dropout(x, 0, 1L), Map.of(x, ones)), "rate 0 keeps everything");
  }
}
