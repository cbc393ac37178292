package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.exec.Runner;
import io.anygraph.core.train.AdamW;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.LocalSpark;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An embedding model trained with sparse AdamW updates on the embedded {@code local[2]} master (7
 * examples fed from the driver: two tasks of 4 and 3, ids repeated within and across them) gives
 * the local runner's table and weights: each task's gradient is its own rows and ids, gathered
 * whole in batch order on the driver before the repeated ids are summed.
 */
class SparkEmbeddingTest {
  private static final long[][][] IDS = {
    {{1, 3, 1}, {3, 7, 0}, {9, 1, 1}, {2, 2, 2}, {3, 1, 5}, {7, 7, 0}, {4, 9, 1}},
    {{0, 0, 1}, {5, 3, 8}, {1, 1, 1}, {6, 2, 3}, {9, 9, 9}, {3, 1, 2}, {8, 0, 0}},
    {{2, 4, 6}, {1, 3, 5}, {7, 9, 1}, {1, 1, 3}, {0, 2, 4}, {6, 8, 1}, {5, 5, 5}}
  };

  private record Model(Graph g, Tensor ids, Tensor y, Tensor step, List<Variable> params) {}

  private static Model model() {
    Graph g = new Graph();
    g.setSeed(11);
    Tensor ids;
    Tensor y;
    try (Scope s = g.sharded()) {
      ids = g.placeholder(DType.INT64, Shape.of(-1, 3), "ids");
      y = g.placeholder(DType.FLOAT64, Shape.of(-1, 1), "y");
    }
    Variable table = g.variable(g.random().normal(DType.FLOAT64, Shape.of(10, 4), 0, 0.5), "table");
    Variable w = g.variable(g.random().normal(DType.FLOAT64, Shape.of(4, 1), 0, 0.5), "w");
    Tensor pooled = g.nn().embeddingLookup(table, ids).mean(1);
    Tensor loss = pooled.matmul(w).sub(y).square().mean();
    return new Model(g, ids, y, new AdamW(0.05, 0.01).minimize(loss), List.of(table, w));
  }

  private static List<INDArray> train(Function<Graph, Runner> runner, boolean keepInit) {
    Model m = model();
    try (Session sess = new Session(m.g(), runner.apply(m.g()))) {
      sess.initializeAllVariables();
      INDArray before = sess.run(m.params().get(0)).dup();
      for (int s = 0; s < IDS.length; s++) {
        double[][] y = new double[7][1];
        for (int i = 0; i < 7; i++) {
          y[i][0] = 0.1 * (i + 1) * (s % 2 == 0 ? 1 : -1) + 0.03 * s;
        }
        sess.run(
            List.of(m.step()),
            Map.of(m.ids(), Nd4j.createFromArray(IDS[s]), m.y(), Nd4j.createFromArray(y)));
      }
      INDArray table = sess.run(m.params().get(0)).dup();
      INDArray w = sess.run(m.params().get(1)).dup();
      return keepInit ? List.of(table, w, before) : List.of(table, w);
    }
  }

  @Test
  void sparseStepsOnTwoTasksEqualTheLocalRunner() {
    List<INDArray> local = train(LocalRunner::new, true);
    List<INDArray> spark = train(g -> new SparkRunner(g, LocalSpark.context()), false);
    for (int i = 0; i < spark.size(); i++) {
      double diff = local.get(i).sub(spark.get(i)).amaxNumber().doubleValue();
      assertTrue(diff <= 1e-10, "parameter " + i + " differs by " + diff);
    }
    assertTrue(
        local.get(0).sub(local.get(2)).amaxNumber().doubleValue() > 1e-3,
        "training moved the table");
  }
}
