package io.anygraph.local.ops;

import static io.anygraph.local.ops.Eval.assertLongs;
import static io.anygraph.local.ops.Eval.assertValues;
import static io.anygraph.local.ops.Eval.doubles;
import static io.anygraph.local.ops.Eval.run;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The optimizers' ops against values worked out by hand: sumDuplicateRows, scatterSub,
 * scatterUpdate, cos; and the bad ids of an embedding lookup failing the run in Java.
 */
class TrainingOpsTest {
  @Test
  @CoversForward("sumDuplicateRows")
  void repeatedIndicesAreSummedInOrderAndSortedAscending() {
    Graph g = new Graph();
    // ids [2, 2] = {{3, 1}, {3, 0}}, rows [2, 2, 2]
    Tensor rows = g.constant(doubles(new long[] {2, 2, 2}, 1, 2, 10, 20, 100, 200, 7, 8));
    Tensor ids = g.constant(Nd4j.createFromArray(new int[][] {{3, 1}, {3, 0}}));
    List<Tensor> out = g.add("sumDuplicateRows", List.of(rows, ids), Attrs.empty(), null);
    try (Session sess = new Session(g)) {
      List<INDArray> v = sess.run(out, Map.of());
      assertValues(
          DType.FLOAT64, new long[] {3, 2}, new double[] {7, 8, 10, 20, 101, 202}, v.get(0));
      assertLongs(DType.INT64, new long[] {3}, new long[] {0, 1, 3}, v.get(1));
    }
  }

  @Test
  @CoversForward({"scatterSub", "scatterUpdate"})
  void scattersChangeOnlyTheGivenRows() {
    Graph g = new Graph();
    Variable v = g.shared(doubles(new long[] {3, 2}, 1, 2, 3, 4, 5, 6), "v");
    Tensor idx = g.constant(Nd4j.createFromArray(2L, 0L, 2L));
    Tensor rows = g.constant(doubles(new long[] {3, 2}, 1, 1, 10, 10, 2, 3));
    Tensor sub = g.add("scatterSub", List.of(v, idx, rows), Attrs.empty(), null).get(0);
    try (Session sess = new Session(g)) {
      // row 2 loses both of its rows (repeated indices accumulate); row 1 is untouched
      assertValues(
          DType.FLOAT64, new long[] {3, 2}, new double[] {-9, -8, 3, 4, 2, 2}, sess.run(sub));
      assertValues(
          DType.FLOAT64, new long[] {3, 2}, new double[] {-9, -8, 3, 4, 2, 2}, sess.run(v));
    }
    Graph h = new Graph();
    Variable w = h.shared(doubles(new long[] {3, 2}, 1, 2, 3, 4, 5, 6), "w");
    Tensor up =
        h.add(
                "scatterUpdate",
                List.of(
                    w,
                    h.constant(Nd4j.createFromArray(1, 0)),
                    h.constant(doubles(new long[] {2, 2}, 9, 8, 7, 6))),
                Attrs.empty(),
                null)
            .get(0);
    assertValues(DType.FLOAT64, new long[] {3, 2}, new double[] {7, 6, 9, 8, 5, 6}, run(up));
  }

  @Test
  @CoversForward("cos")
  @CoversGradient("cos")
  void cosineAndItsDerivatives() {
    Graph g = new Graph();
    double[] x = {0, 0.5, -2, Math.PI};
    Tensor t = g.constant(Nd4j.createFromArray(x));
    double[] want = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      want[i] = Math.cos(x[i]);
    }
    assertValues(DType.FLOAT64, new long[] {4}, want, run(g.ops().cos(t)));
    INDArray at = Nd4j.createFromArray(0.3, -1.2, 2.5);
    GradCheck.check(at, a -> a.graph().ops().cos(a));
    // second derivative: d/dx (d cos / dx) = -cos x, built from cos again
    GradCheck.check(at, a -> a.graph().grad(a.graph().ops().cos(a).sum(), a));
  }

  @Test
  void anEmbeddingIdOutsideTheVocabularyNamesTheNodeTheIdAndTheSize() {
    Graph g = new Graph();
    Variable table = g.shared(Nd4j.zeros(DataType.FLOAT, 10, 4), "table");
    Tensor ids = g.placeholder(DType.INT64, Shape.of(-1, 2), "ids");
    Tensor looked = g.nn().embeddingLookup(table, ids);
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> run(looked, Map.of(ids, Nd4j.createFromArray(new long[][] {{1, 2}, {12, 0}}))));
    String m = e.getMessage();
    assertTrue(
        m.contains(looked.node().name()) && m.contains("index 12") && m.contains("10 rows"), m);
    Tensor negative = g.nn().embeddingLookup(table, ids);
    assertThrows(
        AnygraphException.class,
        () -> run(negative, Map.of(ids, Nd4j.createFromArray(new long[][] {{-1, 2}}))));
  }

  @Test
  void scatterIndicesOutsideTheVariableFailBeforeWriting() {
    Graph g = new Graph();
    Variable v = g.shared(Nd4j.zeros(DataType.DOUBLE, 3, 2), "v");
    Tensor idx = g.placeholder(DType.INT64, Shape.of(-1), "idx");
    Tensor rows = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "rows");
    Tensor sub = g.add("scatterSub", List.of(v, idx, rows), Attrs.empty(), null).get(0);
    try (Session sess = new Session(g)) {
      AnygraphException e =
          assertThrows(
              AnygraphException.class,
              () ->
                  sess.run(
                      sub,
                      Map.of(
                          idx,
                          Nd4j.createFromArray(0L, 3L),
                          rows,
                          Nd4j.ones(DataType.DOUBLE, 2, 2))));
      assertTrue(
          e.getMessage().contains("index 3") && e.getMessage().contains("3 rows"), e.getMessage());
      assertValues(DType.FLOAT64, new long[] {3, 2}, new double[6], sess.run(v));
    }
    assertThrows(
        AnygraphException.class,
        () ->
            g.add(
                "scatterSub",
                List.of(v, idx, g.placeholder(DType.FLOAT64, Shape.of(-1, 3), "wide")),
                Attrs.empty(),
                null));
  }
}
