package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Ops that relabel elements: row-major order is the reference for every expected value. */
class ArrayOpsTest {
  private static final double[] X = {1, 2, 3, 4, 5, 6}; // [2,3]

  private static INDArray x() {
    return doubles(new long[] {2, 3}, X);
  }

  @Test
  @CoversForward({"identity", "reshape", "reshapeLike", "expandDims", "squeeze"})
  void shapeChangesKeepRowMajorOrder() {
    Graph g = new Graph();
    Ops o = g.ops();
    Tensor x = g.constant(x());
    assertValues(DType.FLOAT64, new long[] {2, 3}, X, run(o.identity(x)));
    assertValues(DType.FLOAT64, new long[] {3, 2}, X, run(x.reshape(-1, 2)));
    assertValues(
        DType.FLOAT64, new long[] {6}, X, run(o.reshapeLike(x, g.constant(Nd4j.zeros(6)))));
    assertValues(DType.FLOAT64, new long[] {2, 1, 3}, X, run(o.expandDims(x, 1)));
    assertValues(DType.FLOAT64, new long[] {2, 3, 1}, X, run(o.expandDims(x, -1)));
    Tensor ones = g.constant(doubles(new long[] {1, 3, 1}, 7, 8, 9));
    assertValues(DType.FLOAT64, new long[] {3}, new double[] {7, 8, 9}, run(o.squeeze(ones)));
    assertValues(DType.FLOAT64, new long[] {1, 3}, new double[] {7, 8, 9}, run(o.squeeze(ones, 2)));
  }

  @Test
  void badReshapesFailWhenBuilt() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2, 3), "x");
    AnygraphException e = assertThrows(AnygraphException.class, () -> x.reshape(4, -1));
    assertTrue(
        e.getMessage().contains("reshape") && e.getMessage().contains("[2, 3]"), e.getMessage());
    assertThrows(AnygraphException.class, () -> x.reshape(-1, -1));
    assertThrows(AnygraphException.class, () -> g.ops().squeeze(x, 0));
  }

  @Test
  @CoversForward("transpose")
  void transposeReversesOrPermutesAxes() {
    Graph g = new Graph();
    Tensor x = g.constant(x());
    assertValues(
        DType.FLOAT64, new long[] {3, 2}, new double[] {1, 4, 2, 5, 3, 6}, run(x.transpose()));
    // y[i][j][k] = x[k][i][j] for a [2,2,3] x with values 0..11
    double[] v = new double[12];
    Arrays.setAll(v, i -> i);
    Tensor cube = g.constant(doubles(new long[] {2, 2, 3}, v));
    double[] expected = new double[12];
    int n = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          expected[n++] = v[k * 6 + i * 3 + j];
        }
      }
    }
    assertValues(DType.FLOAT64, new long[] {2, 3, 2}, expected, run(cube.transpose(1, 2, 0)));
    assertValues(DType.FLOAT64, new long[] {2, 3, 2}, expected, run(cube.transpose(-2, -1, 0)));
  }

  @Test
  @CoversForward("cast")
  void castTruncatesTowardZeroAndWidens() {
    Graph g = new Graph();
    Tensor x = g.constant(doubles(new long[] {4}, 2.7, -2.7, 0.5, 100));
    assertLongs(DType.INT32, new long[] {4}, new long[] {2, -2, 0, 100}, run(x.cast(DType.INT32)));
    Tensor ints = g.constant(Nd4j.createFromArray(3, -4));
    assertValues(
        DType.FLOAT32, new long[] {2}, new double[] {3, -4}, run(ints.cast(DType.FLOAT32)));
    assertLongs(DType.BOOL, new long[] {2}, new long[] {1, 1}, run(ints.cast(DType.BOOL)));
  }

  @Test
  @CoversForward({"broadcastLike", "onesLike", "zerosLike"})
  void broadcastAndFillLike() {
    Graph g = new Graph();
    Ops o = g.ops();
    Tensor row = g.constant(doubles(new long[] {3}, 7, 8, 9));
    Tensor like = g.constant(x());
    assertValues(
        DType.FLOAT64,
        new long[] {2, 3},
        new double[] {7, 8, 9, 7, 8, 9},
        run(o.broadcastLike(row, like)));
    assertValues(
        DType.FLOAT64, new long[] {2, 3}, new double[] {1, 1, 1, 1, 1, 1}, run(o.onesLike(like)));
    Tensor ints = g.constant(Nd4j.createFromArray(5, 6));
    assertLongs(DType.INT32, new long[] {2}, new long[] {0, 0}, run(o.zerosLike(ints)));
  }

  @Test
  @CoversGradient({
    "identity",
    "reshape",
    "reshapeLike",
    "expandDims",
    "squeeze",
    "transpose",
    "broadcastLike"
  })
  void relabellingGradientsMoveUpstreamValuesBack() {
    GradCheck.check(x(), t -> t.graph().ops().identity(t));
    GradCheck.check(x(), t -> t.reshape(3, -1));
    GradCheck.check(x(), t -> t.graph().ops().reshapeLike(t, t.graph().constant(Nd4j.zeros(6, 1))));
    GradCheck.check(x(), t -> t.graph().ops().expandDims(t, 0));
    GradCheck.check(doubles(new long[] {2, 1, 3}, X), t -> t.graph().ops().squeeze(t, 1));
    GradCheck.check(x(), Tensor::transpose);
    GradCheck.check(doubles(new long[] {1, 2, 3}, X), t -> t.transpose(2, 0, 1));
    GradCheck.check(doubles(new long[] {1, 2, 3}, X), t -> t.transpose(-1, 0, -2));
    GradCheck.check(
        doubles(new long[] {3}, 1, 2, 3),
        t -> t.graph().ops().broadcastLike(t, t.graph().constant(Nd4j.zeros(4, 3))));
  }

  @Test
  @CoversGradient("cast")
  void castGradientFlowsBetweenFloatTypesOnly() {
    // d/dx sum(w * cast(x)) = w, cast back to x's dtype; no gradient flows through integers
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3), "x");
    Tensor w = g.constant(Nd4j.createFromArray(0.5f, -2f, 3f));
    Tensor dx = g.grad(x.cast(DType.FLOAT32).mul(w).sum(), x);
    assertValues(
        DType.FLOAT64,
        new long[] {3},
        new double[] {0.5, -2, 3},
        run(dx, Map.of(x, Nd4j.createFromArray(1.0, 2.0, 3.0))));
    GradCheck.check(x(), t -> t.cast(DType.FLOAT64).mul(t));
    Tensor viaInts = x.cast(DType.INT32).cast(DType.FLOAT64).add(x).sum();
    assertValues(
        DType.FLOAT64,
        new long[] {3},
        new double[] {1, 1, 1},
        run(g.grad(viaInts, x), Map.of(x, Nd4j.createFromArray(1.0, 2.0, 3.0))));
  }

  @Test
  void gradientsOfOnesLikeAndZerosLikeAreZero() {
    GradCheck.check(x(), t -> t.graph().ops().onesLike(t).add(t));
    GradCheck.check(x(), t -> t.graph().ops().zerosLike(t).mul(t));
  }

  @Test
  void fetchedViewsAreIndependentOfInputs() {
    Graph g = new Graph();
    Tensor p = g.placeholder(DType.FLOAT64, Shape.of(2, 3), "p");
    INDArray fed = x();
    INDArray out = run(p.reshape(6), Map.of(p, fed));
    out.addi(100);
    assertValues(DType.FLOAT64, new long[] {2, 3}, X, fed);
  }
}
