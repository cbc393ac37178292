package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.ClippedByGlobalNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * cumsum, topK, where and clipByGlobalNorm against hand-worked values (TensorFlow's semantics),
 * their gradients against finite differences, and bad inputs failing with the node, op and shapes.
 */
class LayerOpsTest {
  private static final long[] TWO_BY_THREE = {2, 3};

  private static Tensor cumsumOf(double[] values, int axis, boolean exclusive, boolean reverse) {
    Graph g = new Graph();
    return g.ops().cumsum(g.constant(doubles(TWO_BY_THREE, values)), axis, exclusive, reverse);
  }

  @Test
  @CoversForward("cumsum")
  void cumsumRunsForwardOrBackwardIncludingOrExcludingEachElement() {
    double[] x = {1, 2, 3, 4, 5, 6};
    DType f = DType.FLOAT64;
    assertValues(
        f, TWO_BY_THREE, new double[] {1, 3, 6, 4, 9, 15}, Eval.run(cumsumOf(x, 1, false, false)));
    assertValues(
        f, TWO_BY_THREE, new double[] {0, 1, 3, 0, 4, 9}, Eval.run(cumsumOf(x, 1, true, false)));
    assertValues(
        f, TWO_BY_THREE, new double[] {6, 5, 3, 15, 11, 6}, Eval.run(cumsumOf(x, -1, false, true)));
    assertValues(
        f, TWO_BY_THREE, new double[] {5, 3, 0, 11, 6, 0}, Eval.run(cumsumOf(x, 1, true, true)));
    assertValues(
        f, TWO_BY_THREE, new double[] {1, 2, 3, 5, 7, 9}, Eval.run(cumsumOf(x, 0, false, false)));
    assertValues(
        f, TWO_BY_THREE, new double[] {4, 5, 6, 0, 0, 0}, Eval.run(cumsumOf(x, 0, true, true)));
    Graph g = new Graph();
    Tensor ints = g.constant(Nd4j.createFromArray(new int[][] {{1, -2, 3}, {4, 5, -6}}));
    assertLongs(
        DType.INT32,
        TWO_BY_THREE,
        new long[] {1, -1, 2, 4, 9, 3},
        Eval.run(g.ops().cumsum(ints, 1, false, false)));
  }

  @Test
  @CoversGradient("cumsum")
  void cumsumGradientIsTheCumsumTheOtherWayRound() {
    INDArray x = doubles(new long[] {2, 3, 2}, 0.5, -1, 2, 0.25, 3, -2, 1, 1.5, -0.5, 2, 4, -3);
    for (boolean exclusive : new boolean[] {false, true}) {
      for (boolean reverse : new boolean[] {false, true}) {
        GradCheck.check(x, t -> t.graph().ops().cumsum(t, 1, exclusive, reverse).square());
        GradCheck.check(x, t -> t.graph().ops().cumsum(t, -1, exclusive, reverse).square());
      }
    }
  }

  @Test
  @CoversForward("topK")
  void topKGivesTheLargestValuesFirstAndEqualValuesByIndex() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {2, 5}, 1, 5, 3, 5, 5, 2, 2, 9, 0, -1));
    List<Tensor> top = g.nn().topK(x, 3, true);
    assertValues(
        DType.FLOAT64, new long[] {2, 3}, new double[] {5, 5, 5, 9, 2, 2}, Eval.run(top.get(0)));
    assertLongs(
        DType.INT32, new long[] {2, 3}, new long[] {1, 3, 4, 2, 0, 1}, Eval.run(top.get(1)));
    // rank 3 and integers; NaN counts as the largest value
    Tensor ints = g.constant(Nd4j.createFromArray(new long[][][] {{{4, 8, 6}}, {{-1, -3, -2}}}));
    List<Tensor> topInts = g.nn().topK(ints, 2, false);
    assertLongs(
        DType.INT64, new long[] {2, 1, 2}, new long[] {8, 6, -1, -2}, Eval.run(topInts.get(0)));
    assertLongs(
        DType.INT32, new long[] {2, 1, 2}, new long[] {1, 2, 0, 2}, Eval.run(topInts.get(1)));
    Tensor nan = g.constant(Nd4j.createFromArray(new float[] {1, Float.NaN, 3}));
    INDArray v = Eval.run(g.nn().topK(nan, 2, true).get(0));
    assertTrue(Double.isNaN(v.getDouble(0)) && v.getDouble(1) == 3, v.toString());
  }

  @Test
  void topKOrdersSignedZerosInfinitiesNanAndLongsExactly() {
    Graph g = new Graph();
    double inf = Double.POSITIVE_INFINITY;
    Tensor x = g.constant(Nd4j.createFromArray(0.0, -0.0, Double.NaN, -inf, inf, -0.0, 0.0));
    // by hand, as TensorFlow orders them: NaN, inf, 0.0 (index 0, then 6), -0.0 (1, then 5), -inf
    assertLongs(
        DType.INT32,
        new long[] {7},
        new long[] {2, 4, 0, 6, 1, 5, 3},
        Eval.run(g.nn().topK(x, 7, true).get(1)));
    // longs that a double cannot tell apart keep their order
    long max = Long.MAX_VALUE;
    Tensor longs = g.constant(Nd4j.createFromArray(max - 1, max, Long.MIN_VALUE, max));
    List<Tensor> top = g.nn().topK(longs, 3, true);
    assertLongs(DType.INT64, new long[] {3}, new long[] {max, max, max - 1}, Eval.run(top.get(0)));
    assertLongs(DType.INT32, new long[] {3}, new long[] {1, 3, 0}, Eval.run(top.get(1)));
  }

  @Test
  void topKOfLongLinesWithManyTiesMatchesSelectionByLowestIndex() {
    int n = 37;
    int k = 11;
    double[] data = new double[3 * n];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i * 7) % 5 - (i % 3 == 0 ? 0.5 : 0); // few distinct values: many ties
    }
    Graph g = new Graph();
    INDArray picked =
        Eval.run(g.nn().topK(g.constant(doubles(new long[] {3, n}, data)), k, true).get(1));
    for (int line = 0; line < 3; line++) {
      // reference: pick the largest value left, the lowest index among equals, k times
      boolean[] taken = new boolean[n];
      for (int j = 0; j < k; j++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (!taken[i] && (best < 0 || data[line * n + i] > data[line * n + best])) {
            best = i;
          }
        }
        taken[best] = true;
        assertTrue(
            picked.getLong(line, j) == best,
            "line " + line + ", pick " + j + ": " + picked.getRow(line) + ", expected " + best);
      }
    }
  }

  @Test
  @CoversGradient("topK")
  void topKGradientGoesToThePickedPositions() {
    INDArray x = doubles(new long[] {2, 4}, 0.5, -1, 2, 0.25, 3, -2, 1, 1.5);
    GradCheck.check(x, t -> t.graph().nn().topK(t, 2, true).get(0).square());
    // second derivatives: the gradients are ops with gradients of their own
    GradCheck.check(
        x, t -> AttentionTest.gradientOf(u -> u.graph().nn().topK(u, 2, true).get(0).square(), t));
    GradCheck.check(
        x,
        t -> AttentionTest.gradientOf(u -> u.graph().ops().cumsum(u, 1, true, true).square(), t));
    // by hand: the upstream gradient of each pick lands at its index, zeros elsewhere
    Graph g = new Graph();
    Tensor c = g.constant(x);
    Tensor values = g.nn().topK(c, 2, true).get(0);
    Tensor w = g.constant(doubles(new long[] {2, 2}, 10, 20, 30, 40));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 4},
        new double[] {20, 0, 10, 0, 30, 0, 0, 40},
        Eval.run(g.grad(values.mul(w).sum(), c)));
  }

  @Test
  void topKAndCumsumRefuseBadInputNamingNodeOpAndShapes() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2, 3), "logits");
    AnygraphException big = assertThrows(AnygraphException.class, () -> g.nn().topK(x, 4, true));
    assertTrue(
        big.getMessage().contains("topK")
            && big.getMessage().contains("logits")
            && big.getMessage().contains("[2, 3]"),
        big.getMessage());
    AnygraphException axis =
        assertThrows(AnygraphException.class, () -> g.ops().cumsum(x, 2, false, false));
    assertTrue(
        axis.getMessage().contains("cumsum") && axis.getMessage().contains("axis 2"),
        axis.getMessage());
    Tensor b = g.placeholder(DType.BOOL, Shape.of(3), "flags");
    assertThrows(AnygraphException.class, () -> g.ops().cumsum(b, 0, false, false));
    // the last axis known only at run time: the kernel refuses before any native call
    Tensor open = g.placeholder(DType.FLOAT32, Shape.of(2, -1), "open");
    Tensor top = g.nn().topK(open, 3, true).get(0);
    try (Session s = new Session(g)) {
      AnygraphException run =
          assertThrows(
              AnygraphException.class,
              () -> s.run(top, Map.of(open, Nd4j.zeros(DataType.FLOAT, 2, 2))));
      assertTrue(
          run.getMessage().contains("topK") && run.getMessage().contains("[2, 2]"),
          run.getMessage());
    }
  }

  @Test
  void whereIsSelectBroadcastingConditionAndBothBranches() {
    Graph g = new Graph();
    Tensor cond = g.constant(Nd4j.createFromArray(new boolean[][] {{true}, {false}}));
    Tensor x = g.constant(doubles(new long[] {1, 3}, 1, 2, 3));
    Tensor y = g.constant(doubles(new long[0], -1));
    assertValues(
        DType.FLOAT64,
        TWO_BY_THREE,
        new double[] {1, 2, 3, -1, -1, -1},
        Eval.run(g.ops().where(cond, x, y)));
    INDArray cv = Nd4j.createFromArray(new boolean[][] {{true}, {false}});
    GradCheck.check(
        List.of(doubles(new long[] {1, 3}, 1, 2, 3), doubles(new long[] {2, 1}, 4, 5)),
        xs ->
            xs.get(0)
                .graph()
                .ops()
                .where(xs.get(0).graph().constant(cv), xs.get(0), xs.get(1))
                .square());
  }

  @Test
  void clipByGlobalNormScalesAllTensorsByOneFactor() {
    Graph g = new Graph();
    Tensor a = g.constant(doubles(new long[] {2}, 3, 4)); // norm 5
    Tensor b = g.constant(doubles(new long[] {1}, 12)); // norm 12: together 13
    ClippedByGlobalNorm clipped = g.ops().clipByGlobalNorm(Arrays.asList(a, null, b), 6.5);
    assertNull(clipped.tensors().get(1));
    assertValues(DType.FLOAT64, new long[0], new double[] {13}, Eval.run(clipped.globalNorm()));
    assertValues(
        DType.FLOAT64, new long[] {2}, new double[] {1.5, 2}, Eval.run(clipped.tensors().get(0)));
    assertValues(
        DType.FLOAT64, new long[] {1}, new double[] {6}, Eval.run(clipped.tensors().get(2)));
    ClippedByGlobalNorm loose = g.ops().clipByGlobalNorm(List.of(a, b), 20);
    assertValues(
        DType.FLOAT64, new long[] {2}, new double[] {3, 4}, Eval.run(loose.tensors().get(0)));
    Tensor inf = g.constant(doubles(new long[] {2}, Double.POSITIVE_INFINITY, 1));
    INDArray nan = Eval.run(g.ops().clipByGlobalNorm(List.of(inf, b), 1).tensors().get(1));
    assertTrue(
        Double.isNaN(nan.getDouble(0)), "a non-finite norm gives NaN, as TensorFlow: " + nan);
    Tensor ints = g.constant(Nd4j.createFromArray(1, 2));
    assertThrows(AnygraphException.class, () -> g.ops().clipByGlobalNorm(List.of(a, ints), 1));
    assertThrows(AnygraphException.class, () -> g.ops().clipByGlobalNorm(List.of(a), 0));
  }

  @Test
  void clipByGlobalNormGradientMatchesFiniteDifferences() {
    GradCheck.check(
        List.of(doubles(new long[] {2}, 3, 4), doubles(new long[] {2, 1}, 12, -1)),
        xs -> {
          ClippedByGlobalNorm c = xs.get(0).graph().ops().clipByGlobalNorm(xs, 2.0);
          return c.tensors().get(0).sum().add(c.tensors().get(1).square().sum());
        });
  }
}
