package io.anygraph.local.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adagrad;
import io.anygraph.core.train.AdamW;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.core.train.Optimizer;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Partitioner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.common.Cluster;
import io.anygraph.partition.stage.Boundary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An embedding lookup trained data-parallel on 2 and 3 logical devices (7 examples: shards of 4+3
 * and 3+2+2), with ids repeated inside a shard and across shards, gives the single-device numbers.
 * Each shard's sparse gradient is its own rows and ids; they are all-gathered in batch order and
 * summed in that fixed order, so a table whose gradient depends on nothing else is equal to the
 * last bit, and no boundary of the plan carries a dense [vocab, dim] value.
 */
class ShardedEmbeddingTest {
  private static final int VOCAB = 10;
  private static final int DIM = 4;
  private static final long[][][] IDS = {
    {{1, 3, 1}, {3, 7, 0}, {9, 1, 1}, {2, 2, 2}, {3, 1, 5}, {7, 7, 0}, {4, 9, 1}},
    {{0, 0, 1}, {5, 3, 8}, {1, 1, 1}, {6, 2, 3}, {9, 9, 9}, {3, 1, 2}, {8, 0, 0}},
    {{2, 4, 6}, {1, 3, 5}, {7, 9, 1}, {1, 1, 3}, {0, 2, 4}, {6, 8, 1}, {5, 5, 5}}
  };

  record Model(Graph g, Tensor ids, Tensor y, Tensor step, List<Variable> compared) {}

  /** Embeddings of 3 ids per example, averaged, through a dense layer: a regression. */
  static Model recommender(Supplier<Optimizer> optimizer) {
    Graph g = new Graph();
    g.setSeed(9);
    Tensor ids;
    Tensor y;
    try (Scope s = g.sharded()) {
      ids = g.placeholder(DType.INT64, Shape.of(-1, 3), "ids");
      y = g.placeholder(DType.FLOAT64, Shape.of(-1, 1), "y");
    }
    Variable table =
        g.variable(g.random().normal(DType.FLOAT64, Shape.of(VOCAB, DIM), 0, 0.5), "table");
    Variable w = g.variable(g.random().normal(DType.FLOAT64, Shape.of(DIM, 1), 0, 0.5), "w");
    Tensor pooled = g.nn().embeddingLookup(table, ids).mean(1); // [batch, dim]
    Tensor loss = pooled.matmul(w).sub(y).square().mean();
    return new Model(g, ids, y, optimizer.get().minimize(loss), List.of(table, w));
  }

  /** A loss linear in the looked-up rows: the table's gradient is a sum of constants. */
  static Model linear() {
    Graph g = new Graph();
    g.setSeed(10);
    Tensor ids;
    Tensor y;
    try (Scope s = g.sharded()) {
      ids = g.placeholder(DType.INT64, Shape.of(-1, 3), "ids");
      y = g.placeholder(DType.FLOAT64, Shape.of(-1, 1), "y");
    }
    Variable table =
        g.variable(g.random().normal(DType.FLOAT64, Shape.of(VOCAB, DIM), 0, 0.5), "table");
    Tensor rows = g.nn().embeddingLookup(table, ids); // [batch, 3, dim]
    Tensor loss = rows.mul(y.reshape(-1, 1, 1)).sum();
    return new Model(g, ids, y, new GradientDescent(0.1).minimize(loss), List.of(table));
  }

  private static INDArray labels(int step) {
    double[][] y = new double[7][1];
    for (int i = 0; i < 7; i++) {
      y[i][0] = 0.1 * (i + 1) * (step % 2 == 0 ? 1 : -1) + 0.03 * step;
    }
    return Nd4j.createFromArray(y);
  }

  private static List<INDArray> train(Model m, int devices) {
    try (Session sess = new Session(m.g(), new LocalRunner(m.g(), LocalOptions.cpus(devices)))) {
      sess.initializeAllVariables();
      for (int s = 0; s < IDS.length; s++) {
        sess.run(m.step(), Map.of(m.ids(), Nd4j.createFromArray(IDS[s]), m.y(), labels(s)));
      }
      List<INDArray> out = new ArrayList<>();
      m.compared().forEach(v -> out.add(sess.run(v).dup()));
      return out;
    }
  }

  private static void assertSameTraining(Supplier<Model> model, int devices, double tol) {
    List<INDArray> one = train(model.get(), 1);
    List<INDArray> many = train(model.get(), devices);
    for (int i = 0; i < one.size(); i++) {
      double diff = one.get(i).sub(many.get(i)).amaxNumber().doubleValue();
      assertTrue(diff <= tol, "variable " + i + " differs by " + diff + " on " + devices);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void sparseUpdatesTrainAsOnOneDevice(int devices) {
    assertSameTraining(() -> recommender(() -> new AdamW(0.05, 0.01)), devices, 1e-10);
    assertSameTraining(() -> recommender(() -> new Adagrad(0.2)), devices, 1e-10);
    assertSameTraining(() -> recommender(() -> new GradientDescent(0.3)), devices, 1e-10);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void theCombinedRowsAreExactToTheBit(int devices) {
    List<INDArray> one = train(linear(), 1);
    List<INDArray> many = train(linear(), devices);
    // INDArray.equals allows 1e-5: compare the doubles themselves
    assertArrayEquals(
        one.get(0).dup('c').data().asDouble(),
        many.get(0).dup('c').data().asDouble(),
        "the table on " + devices + " devices");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void onlyRowsAndIdsCrossTheBoundaries(int devices) {
    Model m = recommender(() -> new AdamW(0.05, 0.01));
    Plan plan =
        Partitioner.plan(List.of(m.step()), Set.of(m.ids(), m.y()), Cluster.cpus(devices), true);
    int gathered = 0;
    for (Boundary b : plan.boundaries()) {
      Shape s = b.type().shape();
      assertFalse(
          s.hasRank() && s.rank() == 2 && s.dim(0) == VOCAB && s.dim(1) == DIM,
          "a dense table-sized value crosses: " + b);
      if (b.kind() == Boundary.Kind.ALL_GATHER) {
        gathered++;
      }
    }
    assertTrue(gathered >= 2, "the rows and ids are all-gathered: " + plan.boundaries());
    // table, w, their two AdamW slots each, and the two powers of beta: scatters count as updates
    assertTrue(plan.explain().contains("updates: 8 variables"), plan.explain());
  }
}
