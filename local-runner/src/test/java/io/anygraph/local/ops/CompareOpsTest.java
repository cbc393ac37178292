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
import io.anygraph.core.Tensor;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Comparisons give bool tensors with broadcasting; select picks elementwise. */
class CompareOpsTest {
  private static final double[] A = {1, 2, 3, 4, 5, 6};
  private static final double[] B = {2, 2, 7};

  private static void check(BinaryOperator<Tensor> op, BiPredicate<Double, Double> ref) {
    Graph g = new Graph();
    Tensor a = g.constant(doubles(new long[] {2, 3}, A));
    Tensor b = g.constant(doubles(new long[] {3}, B));
    long[] expected = new long[6];
    for (int i = 0; i < 6; i++) {
      expected[i] = ref.test(A[i], B[i % 3]) ? 1 : 0;
    }
    assertLongs(DType.BOOL, new long[] {2, 3}, expected, run(op.apply(a, b)));
  }

  @Test
  @CoversForward({"greater", "greaterEqual", "less", "lessEqual", "equal", "notEqual"})
  void comparisonsBroadcastAndGiveBools() {
    check((a, b) -> a.graph().ops().greater(a, b), (x, y) -> x > y);
    check((a, b) -> a.graph().ops().greaterEqual(a, b), (x, y) -> x >= y);
    check((a, b) -> a.graph().ops().less(a, b), (x, y) -> x < y);
    check((a, b) -> a.graph().ops().lessEqual(a, b), (x, y) -> x <= y);
    check((a, b) -> a.graph().ops().equal(a, b), (x, y) -> x.doubleValue() == y.doubleValue());
    check((a, b) -> a.graph().ops().notEqual(a, b), (x, y) -> x.doubleValue() != y.doubleValue());
  }

  @Test
  void comparingDifferentDtypesFailsWhenBuilt() {
    Graph g = new Graph();
    Tensor a = g.constant(Nd4j.createFromArray(1, 2), "ints");
    Tensor b = g.constant(Nd4j.createFromArray(1.0, 2.0), "doubles");
    AnygraphException e = assertThrows(AnygraphException.class, () -> g.ops().less(a, b));
    assertTrue(
        e.getMessage().contains("less")
            && e.getMessage().contains("int32")
            && e.getMessage().contains("float64"),
        e.getMessage());
  }

  @Test
  @CoversForward("select")
  void selectPicksFromBothBranchesWithBroadcasting() {
    Graph g = new Graph();
    Tensor cond = g.constant(Nd4j.createFromArray(true, false, true));
    Tensor a = g.constant(doubles(new long[] {2, 3}, A));
    Tensor b = g.constant(doubles(new long[] {1}, -1));
    assertValues(
        DType.FLOAT64,
        new long[] {2, 3},
        new double[] {1, -1, 3, 4, -1, 6},
        run(g.ops().select(cond, a, b)));
  }

  /** Values a select by arithmetic (a*m + b*(1-m)) would get wrong: NaN, infinities, -0. */
  private static final double[] SPECIAL = {
    Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.NEGATIVE_INFINITY, 1e300, -7.25
  };

  private static final double[] OTHER = {-0.0, Double.NaN, 3, 0.0, Double.NEGATIVE_INFINITY, 2};
  private static final boolean[] PICK = {true, false, true, true, false, false};

  @Test
  void selectOfEqualShapesKeepsEveryBitOfTheChosenValue() {
    for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.FLOAT16}) {
      Graph g = new Graph();
      Tensor cond = g.constant(Nd4j.createFromArray(PICK).reshape(2, 3));
      Tensor a = g.constant(doubles(new long[] {2, 3}, SPECIAL)).cast(t);
      Tensor b = g.constant(doubles(new long[] {2, 3}, OTHER)).cast(t);
      double[] got = run(g.ops().select(cond, a, b)).castTo(DataType.DOUBLE).data().asDouble();
      for (int i = 0; i < 6; i++) {
        double want = PICK[i] ? SPECIAL[i] : OTHER[i];
        if (t == DType.FLOAT32) {
          want = (float) want;
        } else if (t == DType.FLOAT16) {
          want =
              Float.isFinite((float) want) && Math.abs(want) > 65504
                  ? Math.copySign(Double.POSITIVE_INFINITY, want)
                  : want;
        }
        // bit equality: NaN equals NaN, and -0.0 differs from 0.0
        assertTrue(
            Double.compare(want, got[i]) == 0, t + " element " + i + ": " + got[i] + " vs " + want);
      }
    }
  }

  @Test
  void selectOfIntegersAndOfViewsPicksElementwise() {
    Graph g = new Graph();
    Tensor cond = g.constant(Nd4j.createFromArray(PICK).reshape(3, 2));
    for (DType t : new DType[] {DType.INT8, DType.INT32, DType.INT64}) {
      Tensor a = g.constant(doubles(new long[] {2, 3}, 1, -2, 3, -128, 5, 127)).cast(t).transpose();
      Tensor b = g.constant(doubles(new long[] {3, 2}, 10, 20, 30, 40, 50, 60)).cast(t);
      // a transposed is [[1, -128], [-2, 5], [3, 127]]
      assertLongs(
          t, new long[] {3, 2}, new long[] {1, 20, -2, 5, 50, 60}, run(g.ops().select(cond, a, b)));
    }
    Tensor x = g.constant(doubles(new long[] {2, 3}, A)).transpose();
    Tensor y = g.constant(doubles(new long[] {3, 2}, 0, 0, 0, 0, 0, 0));
    assertValues(
        DType.FLOAT64,
        new long[] {3, 2},
        new double[] {1, 0, 2, 5, 0, 0},
        run(g.ops().select(cond, x, y)));
    Tensor bools =
        g.constant(Nd4j.createFromArray(false, false, true, true, false, true).reshape(3, 2));
    assertLongs(
        DType.BOOL,
        new long[] {3, 2},
        new long[] {0, 0, 1, 1, 0, 0},
        run(g.ops().select(cond, bools, g.ops().notEqual(bools, bools))));
  }

  @Test
  @CoversGradient("select")
  void selectGradientFlowsToTheChosenBranch() {
    GradCheck.check(
        List.of(
            Nd4j.createFromArray(new boolean[][] {{true, false, true}, {false, false, true}}),
            doubles(new long[] {2, 3}, A),
            doubles(new long[] {3}, B)),
        xs -> xs.get(0).graph().ops().select(xs.get(0), xs.get(1), xs.get(2)));
  }
}
