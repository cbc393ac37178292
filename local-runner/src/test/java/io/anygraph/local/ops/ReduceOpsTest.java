package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sums, means and maxima over chosen axes of a [2,3,2] tensor, against hand-worked values. */
class ReduceOpsTest {
  // x[i][j][k] = 100 i + 10 j + k, so sums over an axis are easy to work out by hand
  private static final double[] X = {0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121};
  private static final long[] SHAPE = {2, 3, 2};

  private static Tensor x(Graph g) {
    return g.constant(doubles(SHAPE, X));
  }

  @Test
  @CoversForward("reduceSum")
  void sumOverAllSomeAndNegativeAxes() {
    Graph g = new Graph();
    Tensor x = x(g);
    assertValues(DType.FLOAT64, new long[0], new double[] {726}, run(x.sum()));
    // over axis 1: 0+10+20 = 30, 1+11+21 = 33, 300, 303
    assertValues(DType.FLOAT64, new long[] {2, 2}, new double[] {30, 33, 330, 333}, run(x.sum(1)));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 1, 2},
        new double[] {30, 33, 330, 333},
        run(g.ops().reduceSum(x, new int[] {-2}, true)));
    assertValues(DType.FLOAT64, new long[] {3}, new double[] {202, 242, 282}, run(x.sum(0, 2)));
  }

  @Test
  @CoversForward("reduceMean")
  void meanOverAxesIncludingIntegersThatTruncate() {
    Graph g = new Graph();
    Tensor x = x(g);
    assertValues(
        DType.FLOAT64,
        new long[] {2, 3},
        new double[] {0.5, 10.5, 20.5, 100.5, 110.5, 120.5},
        run(x.mean(2)));
    assertValues(
        DType.FLOAT64,
        new long[] {1, 1, 1},
        new double[] {60.5},
        run(g.ops().reduceMean(x, new int[] {}, true)));
    // integer means divide exactly and truncate toward zero, as TensorFlow's do
    // (2^53 + 1 has no exact double, so this also checks the mean is not taken in doubles)
    long big = (1L << 53) + 1;
    Tensor ints = g.constant(Nd4j.createFromArray(new long[] {big, big, -7, 2}).reshape(2, 2));
    assertLongs(DType.INT64, new long[] {2}, new long[] {big, -2}, run(ints.mean(1)));
  }

  @Test
  @CoversForward("reduceMax")
  void maxOverAxes() {
    Graph g = new Graph();
    Tensor x = x(g);
    assertValues(
        DType.FLOAT64, new long[] {2, 3}, new double[] {1, 11, 21, 101, 111, 121}, run(x.max(2)));
    assertValues(DType.FLOAT64, new long[0], new double[] {121}, run(x.max()));
  }

  @Test
  @CoversForward("reduceSumLike")
  void sumLikeReducesABroadcastResultToTheInputsShape() {
    Graph g = new Graph();
    Tensor like = g.constant(doubles(new long[] {3, 1}, 0, 0, 0));
    assertValues(
        DType.FLOAT64,
        new long[] {3, 1},
        new double[] {202, 242, 282},
        run(g.ops().reduceSumLike(x(g), like)));
  }

  @Test
  void sumLikeOverLeadingAxesOfLargerArraysMatchesPlainSums() {
    // a bias's gradient: summed over the leading axes (one matrix-vector product, its rows read
    // several at a time when there are few columns), and over others (libnd4j's reduction), in
    // both float dtypes, against sums taken in plain Java
    sumsLikeMatchPlainSums(
        new long[] {5, 4, 3, 6}, new long[][] {{6}, {1, 1, 1, 6}, {3, 6}, {5, 1, 3, 1}, {1}});
    // a conv layer's: 8 channels, 16·7·7 rows read 8 at a time; an odd row count read one by one
    sumsLikeMatchPlainSums(new long[] {16, 7, 7, 8}, new long[][] {{8}, {1, 1, 1, 8}});
    sumsLikeMatchPlainSums(new long[] {7, 1, 1, 13}, new long[][] {{13}});
  }

  private static void sumsLikeMatchPlainSums(long[] shape, long[][] targets) {
    double[] values = new double[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.sin(i * 0.37) * 3 + (i % 7) * 0.25;
    }
    for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (long[] target : targets) {
        Graph g = new Graph();
        Tensor x = g.constant(doubles(shape, values).castTo(t.nd4j()));
        Tensor like = g.constant(Nd4j.zeros(t.nd4j(), target));
        INDArray got = run(g.ops().reduceSumLike(x, like));
        double[] expected = sumsLike(values, shape, target);
        double[] actual = got.castTo(DataType.DOUBLE).data().asDouble();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
          assertEquals(
              expected[i],
              actual[i],
              (t == DType.FLOAT32 ? 1e-4 : 1e-12) * 100,
              t + " into " + Arrays.toString(target) + ", element " + i);
        }
      }
    }
  }

  /** Sums of a row-major array of {@code shape} into {@code target} (same rank or a suffix). */
  private static double[] sumsLike(double[] x, long[] shape, long[] target) {
    int offset = shape.length - target.length;
    long size = 1;
    for (long d : target) {
      size *= d;
    }
    double[] out = new double[(int) size];
    long[] index = new long[shape.length];
    for (double v : x) {
      long flat = 0;
      for (int d = 0; d < target.length; d++) {
        flat = flat * target[d] + (target[d] == 1 ? 0 : index[offset + d]);
      }
      out[(int) flat] += v;
      for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
        index[d] = 0;
      }
    }
    return out;
  }

  @Test
  @CoversGradient({"reduceSum", "reduceMean", "reduceMax"})
  void reductionGradients() {
    INDArray x = doubles(SHAPE, 0.3, -1.2, 2.5, 0.7, -0.4, 1.9, 3.1, -2.2, 0.05, 1.4, -0.9, 2.0);
    GradCheck.check(x, t -> t.sum());
    GradCheck.check(x, t -> t.sum(0, 2));
    GradCheck.check(x, t -> t.graph().ops().reduceSum(t, new int[] {-1}, true));
    GradCheck.check(x, t -> t.mean(1));
    GradCheck.check(x, t -> t.graph().ops().reduceMean(t, new int[] {0}, true));
    GradCheck.check(x, t -> t.max(2));
    GradCheck.check(x, t -> t.max());
  }

  @Test
  void maxGradientIsSharedAmongTies() {
    // max(2, 5, 5) = 5: each 5 gets half of the upstream gradient
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3), "x");
    Tensor dx = g.grad(x.max(), x);
    assertValues(
        DType.FLOAT64,
        new long[] {3},
        new double[] {0, 0.5, 0.5},
        run(dx, Map.of(x, Nd4j.createFromArray(2.0, 5.0, 5.0))));
  }

  @Test
  @CoversGradient("reduceSumLike")
  void sumLikeGradientBroadcastsBack() {
    INDArray x = doubles(new long[] {2, 3}, 0.3, -1.2, 2.5, 0.7, -0.4, 1.9);
    GradCheck.check(
        x,
        t ->
            t.graph().ops().reduceSumLike(t, t.graph().constant(doubles(new long[] {3}, 0, 0, 0))));
    GradCheck.check(
        x,
        t ->
            t.graph().ops().reduceSumLike(t, t.graph().constant(doubles(new long[] {2, 1}, 0, 0))));
  }
}
