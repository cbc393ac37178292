package io.anygraph.local.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.autodiff.IndexedSlices;
import io.anygraph.core.train.GradientDescent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code Optimizer.applyGradients}: the step takes the caller's gradients (here clipped to a global
 * norm), against values worked out by hand; a sparse gradient passed through unchanged still
 * updates only its rows; gradients and variables must pair up.
 */
class ApplyGradientsTest {
  @Test
  void clippedGradientsAreTheOnesApplied() {
    Graph g = new Graph();
    Variable w = g.shared(Nd4j.createFromArray(1.0, 2.0, 3.0), "w");
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3), "x");
    Tensor loss = w.mul(x).sum(); // gradient: x
    List<Tensor> clipped = g.ops().clipByGlobalNorm(g.grad(loss, List.of(w)), 1.0).tensors();
    Tensor step = new GradientDescent(0.5).applyGradients(clipped, List.of(w));
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      s.run(step, Map.of(x, Nd4j.createFromArray(3.0, 0.0, 4.0)));
      // |[3, 0, 4]| = 5, clipped to [0.6, 0, 0.8]; w - 0.5 * that
      assertArrayEquals(new double[] {0.7, 2.0, 2.6}, s.variableValue(w).toDoubleVector(), 1e-12);
    }
  }

  @Test
  void aSparseGradientUpdatesItsRowsOnly() {
    Graph g = new Graph();
    Variable table = g.shared(Nd4j.createFromArray(new double[][] {{1, 1}, {2, 2}, {3, 3}}), "t");
    Tensor ids = g.placeholder(DType.INT32, Shape.of(-1), "ids");
    Tensor loss = g.nn().embeddingLookup(table, ids).sum(); // each looked-up row: gradient 1
    Tensor step =
        new GradientDescent(0.25).applyGradients(g.grad(loss, List.of(table)), List.of(table));
    List<String> ops = g.nodes().stream().map(n -> n.op()).toList();
    assertTrue(ops.contains("scatterSub"), "applied to the rows with a scatter: " + ops);
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      s.run(step, Map.of(ids, Nd4j.createFromArray(2, 0, 2)));
      double[][] after = s.variableValue(table).toDoubleMatrix();
      assertArrayEquals(new double[] {0.75, 0.75}, after[0], 1e-12);
      assertArrayEquals(new double[] {2, 2}, after[1], 1e-12);
      assertArrayEquals(new double[] {2.5, 2.5}, after[2], 1e-12); // looked up twice
    }
  }

  @Test
  void rebuiltSparseRowsStaySparse() {
    // what clipping a sparse gradient by its rows makes (charlm): new slices of scaled rows
    Graph g = new Graph();
    Variable table = g.shared(Nd4j.createFromArray(new double[][] {{1, 1}, {2, 2}, {3, 3}}), "t");
    Tensor ids = g.placeholder(DType.INT64, Shape.of(-1), "ids");
    Tensor loss = g.nn().embeddingLookup(table, ids).sum(); // row r: (times r is looked up) * 1
    IndexedSlices slices = IndexedSlices.of(g.grad(loss, table)).orElseThrow().summedDuplicates();
    Tensor halved =
        new IndexedSlices(slices.like(), slices.indices(), slices.rows().mul(0.5)).dense();
    Tensor step = new GradientDescent(1.0).applyGradients(List.of(halved), List.of(table));
    List<String> ops = g.nodes().stream().map(n -> n.op()).toList();
    assertTrue(ops.contains("scatterSub"), "applied to the rows with a scatter: " + ops);
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      s.run(step, Map.of(ids, Nd4j.createFromArray(2L, 2L, 0L)));
      double[][] after = s.variableValue(table).toDoubleMatrix();
      assertArrayEquals(new double[] {0.5, 0.5}, after[0], 1e-12); // 1 - 0.5 * 1
      assertArrayEquals(new double[] {2, 2}, after[1], 1e-12); // not looked up
      assertArrayEquals(new double[] {2, 2}, after[2], 1e-12); // 3 - 0.5 * 2
    }
  }

  @Test
  void gradientsAndVariablesMustPairUp() {
    Graph g = new Graph();
    Variable a = g.shared(Nd4j.createFromArray(1.0), "a");
    Variable b = g.shared(Nd4j.createFromArray(2.0), "b");
    Tensor loss = a.mul(b);
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> new GradientDescent(0.1).applyGradients(g.grad(loss, List.of(a)), List.of(a, b)));
    assertTrue(e.getMessage().contains("1 gradients for 2 variables"), e.getMessage());
  }
}
