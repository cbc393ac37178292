package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients whose shapes only the run knows: reductions over explicit (also negative) axes of a
 * placeholder of unknown rank, and concat along an axis whose sizes are unknown. One graph is built
 * and then fed inputs of different ranks or sizes; each run is checked by finite differences.
 */
class RunTimeShapeGradientsTest {
  private static final List<Shape> UNKNOWN_RANK = List.of(Shape.unknownRank());

  private static INDArray values(long seed, long... shape) {
    return BatchedMatmulTest.values(seed, shape);
  }

  /** Inputs of rank 2, 3 and 4 (every axis at least 2 long, so axes 1 and -2 always exist). */
  private static List<List<INDArray>> ranks2to4() {
    return List.of(
        List.of(values(1, 3, 2)), List.of(values(2, 2, 3, 2)), List.of(values(3, 2, 2, 3, 2)));
  }

  private static void checkEachRank(Function<Tensor, Tensor> reduction) {
    GradCheck.checkRuns(UNKNOWN_RANK, xs -> reduction.apply(xs.get(0)), ranks2to4());
  }

  @Test
  void reduceSumOverExplicitAndNegativeAxes() {
    checkEachRank(x -> x.sum(1));
    checkEachRank(x -> x.sum(-1));
    checkEachRank(x -> x.sum(0, -1));
    checkEachRank(x -> x.graph().ops().reduceSum(x, new int[] {-2}, true));
  }

  @Test
  void reduceMeanOverExplicitAndNegativeAxes() {
    checkEachRank(x -> x.mean(-1));
    checkEachRank(x -> x.mean(-2));
    checkEachRank(x -> x.mean(0, -1));
  }

  @Test
  void reduceMaxOverExplicitAndNegativeAxes() {
    checkEachRank(x -> x.max(-1));
    checkEachRank(x -> x.max(0, -1));
  }

  @Test
  void secondDerivativeOfAMeanOfUnknownRank() {
    // d/dx of sum(mean(x, -1)^2) goes through the run-time reshape and is itself differentiated
    GradCheck.checkRuns(
        UNKNOWN_RANK,
        xs -> {
          Tensor m = xs.get(0).mean(-1);
          return xs.get(0).graph().grad(m.mul(m).sum(), xs.get(0));
        },
        ranks2to4());
  }

  @Test
  void theGradientOfAnUnknownRankSumHasTheInputsShape() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, "x");
    Tensor dx = g.grad(x.sum(-1).sum(), x);
    for (List<INDArray> run : ranks2to4()) {
      INDArray got = Eval.run(dx, Map.of(x, run.get(0)));
      assertEquals(Arrays.toString(run.get(0).shape()), Arrays.toString(got.shape()));
      assertEquals(got.length(), got.sumNumber().doubleValue(), 0, "every element's gradient is 1");
    }
  }

  @Test
  void concatAlongAnAxisOfRunTimeSizes() {
    List<Shape> declared = List.of(Shape.of(2, -1), Shape.of(2, -1), Shape.of(-1, -1));
    Function<List<Tensor>, Tensor> joined = xs -> xs.get(0).graph().ops().concat(xs, 1).square();
    GradCheck.checkRuns(
        declared,
        joined,
        List.of(
            List.of(values(4, 2, 1), values(5, 2, 3), values(6, 2, 2)),
            List.of(values(7, 2, 4), values(8, 2, 1), values(9, 2, 2))));
    Function<List<Tensor>, Tensor> rows = xs -> xs.get(0).graph().ops().concat(xs, -2).square();
    GradCheck.checkRuns(
        List.of(Shape.of(-1, 3), Shape.of(-1, 3)),
        rows,
        List.of(
            List.of(values(10, 1, 3), values(11, 2, 3)),
            List.of(values(12, 3, 3), values(13, 1, 3))));
  }

  @Test
  void secondDerivativeOfConcatOfRunTimeSizes() {
    // y = d/da sum(concat(a, b)^3) = 3 a^2, taken through the run-time slices of the gradient
    GradCheck.checkRuns(
        List.of(Shape.of(2, -1), Shape.of(2, -1)),
        xs -> {
          Tensor c = xs.get(0).graph().ops().concat(xs, 1);
          return xs.get(0).graph().grad(c.mul(c).mul(c).sum(), xs.get(0));
        },
        List.of(
            List.of(values(14, 2, 1), values(15, 2, 3)),
            List.of(values(16, 2, 3), values(17, 2, 2))));
  }
}
