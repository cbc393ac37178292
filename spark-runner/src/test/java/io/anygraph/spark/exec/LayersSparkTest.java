package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
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
 * A classifier with batch normalization (training mode, moving averages updated each step) and
 * layer normalization, trained on {@code local[2]} with the examples in two cached blocks of
 * unequal size (170 and 130), ends with the local runner's parameters and moving statistics within
 * 1e-5: the batch statistics are taken over the whole batch, not per block.
 */
class LayersSparkTest {
  private static final long SEED = 7;
  private static final int BATCH = 64;

  record Net(Graph g, Tensor x, Tensor y, Tensor step, List<Tensor> compared) {}

  static Net net() {
    Graph g = new Graph();
    g.setSeed(31);
    Tensor x;
    Tensor y;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 5), "x");
      y = g.placeholder(DType.INT32, Shape.of(-1), "y");
    }
    BatchNorm bn = new BatchNorm(g, "bn", DType.FLOAT32, Shape.of(5), new int[] {0}, 0.8, 1e-3);
    Variable w1 = g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 8), 0, 0.5), "w1");
    Variable w2 = g.variable(g.random().normal(DType.FLOAT32, Shape.of(8, 3), 0, 0.5), "w2");
    Tensor h = g.nn().layerNorm(bn.apply(x, true).matmul(w1), new int[] {-1}, null, null, 1e-3);
    Tensor logits = g.nn().relu(h).matmul(w2);
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, y).mean();
    List<Tensor> step = new ArrayList<>(bn.updateOps());
    step.add(new GradientDescent(0.1).minimize(loss));
    return new Net(
        g,
        x,
        y,
        g.ops().group(step),
        List.of(w1, w2, bn.gamma(), bn.beta(), bn.movingMean(), bn.movingVariance()));
  }

  private static List<INDArray> values(Session sess, Net n) {
    List<INDArray> out = new ArrayList<>();
    n.compared().forEach(v -> out.add(sess.run(v).castTo(DataType.DOUBLE)));
    return out;
  }

  private static List<INDArray> trainLocally(Dataset d, int steps) {
    Net n = net();
    try (Session sess = new Session(n.g(), new LocalRunner(n.g()))) {
      sess.initializeAllVariables();
      Iterator<Batch> batches = d.shuffled(SEED).batches(BATCH).iterator();
      for (int s = 0; s < steps; s++) {
        Batch b = batches.next();
        sess.run(n.step(), Map.of(n.x(), b.features(), n.y(), b.labels()));
      }
      return values(sess, n);
    }
  }

  @Test
  void batchNormalizedStepsOnUnequalBlocksEqualTheLocalRunner() {
    Dataset d = SparkRunnerTest.data(300, 5);
    JavaSparkContext sc = LocalSpark.context();
    Net n = net();
    SparkRunner runner =
        new SparkRunner(n.g(), sc)
            .bind(ShardedData.of(sc, d, 170, 130), Map.of("features", n.x(), "labels", n.y()));
    List<INDArray> spark;
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 4; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.step()), Map.of());
      }
      spark = values(sess, n);
    }
    List<INDArray> local = trainLocally(d, 4);
    for (int i = 0; i < local.size(); i++) {
      double diff = local.get(i).sub(spark.get(i)).amaxNumber().doubleValue();
      assertTrue(diff <= 1e-5, "value " + i + " differs by " + diff);
    }
    assertTrue(local.get(4).amaxNumber().doubleValue() > 1e-3, "the moving mean moved");
  }
}
