package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.ArrayZoo;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.local.ops.StridedInputsTest.Layout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Property: for every differentiable op of {@link StridedCases}, the symbolic gradient evaluated at
 * strided inputs, with a strided upstream gradient, equals bit for bit the gradient at dense copies
 * with a dense upstream gradient. The reference loss is {@code sum(y * w)}; the strided one is
 * {@code sum(transpose(y) * transpose(w))}, whose gradient reaches y as a transpose of a computed
 * value (the layout ND4J mislabels), as in {@code relu(x).transpose(2, 0, 1)}.
 */
class StridedGradientsTest {

  static Stream<Arguments> differentiableCasesAndLayouts() {
    List<Arguments> args = new ArrayList<>();
    for (StridedCase c : StridedCases.all()) {
      boolean floatingInput =
          c.inputs().stream().anyMatch(in -> in.dtype().isFloating() && !in.layoutFree());
      if (!OpRegistry.get(c.op()).isDifferentiable() || !floatingInput) {
        continue;
      }
      for (Layout l : Layout.values()) {
        args.add(Arguments.of(c, l));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("differentiableCasesAndLayouts")
  void gradientAtStridedInputsIsTheDenseGradient(StridedCase c, Layout layout) {
    List<INDArray> values = StridedInputsTest.values(c, layout);
    List<INDArray> expected = gradients(c, values, Layout.DENSE, false);
    if (expected == null) {
      return; // the output is not floating: no gradient flows
    }
    List<INDArray> actual = gradients(c, values, layout, true);
    for (int i = 0; i < expected.size(); i++) {
      INDArray want = expected.get(i);
      if (want == null) {
        assertNull(actual.get(i), c + " " + layout + " gradient " + i);
        continue;
      }
      if (layout == Layout.GRAPH_PERMUTED && want.rank() >= 2) {
        // the fed placeholder holds the input transposed, so its gradient is transposed too
        want = want.permute(ArrayZoo.swapLastTwo(want.rank())).dup('c');
      }
      StridedViews.assertSame(want, actual.get(i), c + " " + layout + " gradient " + i);
    }
  }

  /**
   * The gradients of the case's loss with respect to its floating placeholders, or null when the
   * op's output is not floating. {@code stridedDy} makes y's upstream gradient a permuted view.
   */
  private static List<INDArray> gradients(
      StridedCase c, List<INDArray> values, Layout layout, boolean stridedDy) {
    Graph g = new Graph();
    Map<Tensor, INDArray> feeds = new HashMap<>();
    List<Tensor> xs = StridedInputsTest.inputs(g, c, values, layout, feeds);
    Tensor y = c.build(g, xs).get(0);
    if (!y.dtype().isFloating()) {
      return null;
    }
    List<Tensor> wrt = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      if (c.inputs().get(i).dtype().isFloating() && !c.inputs().get(i).layoutFree()) {
        wrt.add(placeholderOf(xs.get(i)));
      }
    }
    try (Session sess = new Session(g)) {
      INDArray yValue = sess.run(y, feeds);
      INDArray w = StridedCase.positive(y.dtype(), yValue.shape()).value();
      Tensor loss;
      if (stridedDy && w.rank() >= 2) {
        int[] swap = ArrayZoo.swapLastTwo(w.rank());
        Tensor wT = g.placeholder(y.dtype(), Shape.of(w.permute(swap).shape()), "wT");
        feeds.put(wT, w.permute(swap).dup('c'));
        loss = y.transpose(swap).mul(wT).sum();
      } else {
        Tensor wt = g.placeholder(y.dtype(), Shape.of(w.shape()), "w");
        feeds.put(wt, w);
        loss = y.mul(wt).sum();
      }
      List<Tensor> grads = new ArrayList<>();
      for (Tensor x : wrt) {
        grads.add(gradientOrNull(g, loss, x));
      }
      try (Session after = new Session(g)) {
        List<INDArray> result = new ArrayList<>();
        for (Tensor dx : grads) {
          result.add(dx == null ? null : after.run(dx, feeds));
        }
        return result;
      }
    }
  }

  /** d loss / d x, or null where x reaches the loss only through ops without a gradient. */
  private static Tensor gradientOrNull(Graph g, Tensor loss, Tensor x) {
    try {
      return g.grad(loss, x);
    } catch (AnygraphException e) {
      if (e.getMessage().startsWith("No gradient flows")) {
        return null; // e.g. reshapeLike's second input gives only its shape
      }
      throw e;
    }
  }

  /** The placeholder under an input (GRAPH_PERMUTED inputs are transposes of computed copies). */
  private static Tensor placeholderOf(Tensor x) {
    Tensor t = x;
    while (!t.op().equals("placeholder")) {
      t = t.node().input(0);
    }
    return t;
  }
}
