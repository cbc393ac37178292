package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.LocalSpark;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier with a recurrence in a whileLoop (h = tanh(h U + x W), three steps) trains on the
 * embedded {@code local[2]} master, on two unequal cached blocks, as on the local runner (1e-5).
 */
class SparkLoopTrainingTest {
  private static final long SEED = 11;
  private static final int BATCH = 48;

  record Net(Graph g, Tensor x, Tensor y, Tensor train, Tensor loss, List<Variable> params) {}

  static Net net() {
    Graph g = new Graph();
    g.setSeed(5);
    Tensor x;
    Tensor y;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
      y = g.placeholder(DType.INT32, Shape.of(-1), "y");
    }
    Variable w = g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 8), 0, 0.5), "w");
    Variable u = g.variable(g.random().normal(DType.FLOAT32, Shape.of(8, 8), 0, 0.3), "u");
    Variable out = g.variable(g.random().normal(DType.FLOAT32, Shape.of(8, 3), 0, 0.5), "out");
    Tensor xw = x.matmul(w);
    Tensor steps = g.constant(3, DType.INT32);
    Tensor h =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), steps),
                v -> List.of(v.get(0).add(1), g.nn().tanh(v.get(1).matmul(u).add(xw))),
                List.of(g.constant(0, DType.INT32), xw))
            .get(1);
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(h.matmul(out), y).mean();
    Tensor train = new Adam(0.02).minimize(loss);
    return new Net(g, x, y, train, loss, List.of(w, u, out));
  }

  private static List<INDArray> values(Session sess, Net n) {
    List<INDArray> out = new ArrayList<>();
    n.params().forEach(v -> out.add(sess.run(v).castTo(DataType.DOUBLE)));
    return out;
  }

  @Test
  void aGraphWithALoopTrainsOnSparkAsLocally() {
    Dataset d = SparkRunnerTest.data(200, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net();
    SparkRunner runner =
        new SparkRunner(n.g(), sc)
            .bind(ShardedData.of(sc, d, 120, 80), Map.of("features", n.x(), "labels", n.y()));
    List<INDArray> spark;
    List<INDArray> initial;
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      initial = values(sess, n);
      for (int s = 0; s < 3; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      spark = values(sess, n);
    }
    Net m = net();
    List<INDArray> local;
    try (Session sess = new Session(m.g(), new LocalRunner(m.g()))) {
      sess.initializeAllVariables();
      Iterator<Batch> batches = d.shuffled(SEED).batches(BATCH).iterator();
      for (int s = 0; s < 3; s++) {
        Batch b = batches.next();
        sess.run(List.of(m.train(), m.loss()), Map.of(m.x(), b.features(), m.y(), b.labels()));
      }
      local = values(sess, m);
    }
    for (int i = 0; i < local.size(); i++) {
      double diff = local.get(i).sub(spark.get(i)).amaxNumber().doubleValue();
      assertTrue(diff <= 1e-5, "parameter " + i + " differs by " + diff);
      double moved = local.get(i).sub(initial.get(i)).amaxNumber().doubleValue();
      assertTrue(moved > 1e-4, "training moved parameter " + i + " by " + moved);
    }
  }
}
