package io.anygraph.local.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Data-parallel steps on 2 and 3 logical devices give the single-device numbers: the same program,
 * only the runner's device count changes. Batches of 7 rows split unequally (4+3, 3+2+2), which a
 * mean that divided by the local count would get wrong.
 */
class DataParallelTest {
  /** A graph with its sharded inputs, what a step fetches, and what is compared after it. */
  record Model(Graph g, Tensor x, Tensor y, List<Tensor> step, List<Tensor> compared) {}

  static Model mlp(DType dt) {
    Graph g = new Graph();
    g.setSeed(3);
    Tensor x;
    Tensor y;
    try (Scope s = g.sharded()) {
      x = g.placeholder(dt, Shape.of(-1, 5), "x");
      y = g.placeholder(DType.INT32, Shape.of(-1), "y");
    }
    Variable w1 = g.variable(g.random().normal(dt, Shape.of(5, 8), 0, 0.5), "w1");
    Variable b1 = g.variable(g.ops().fill(dt, Shape.of(8), 0.1), "b1");
    Variable w2 = g.variable(g.random().normal(dt, Shape.of(8, 3), 0, 0.5), "w2");
    Tensor h = g.nn().relu(g.nn().biasAdd(x.matmul(w1), b1));
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(h.matmul(w2), y).mean();
    Tensor train = new Adam(0.05).minimize(loss);
    return new Model(g, x, y, List.of(train, loss), List.of(w1, b1, w2, loss));
  }

  static Tensor shardedInput(Graph g, DType dt, long columns, String name) {
    try (Scope s = g.sharded()) {
      return g.placeholder(dt, Shape.of(-1, columns), name);
    }
  }

  /** Least squares with a mean over the batch axis only, then over the outputs. */
  static Model meanOverBatch(DType dt) {
    Graph g = new Graph();
    g.setSeed(4);
    Tensor x = shardedInput(g, dt, 5, "x");
    Tensor y = shardedInput(g, dt, 2, "y");
    Variable w = g.variable(g.random().normal(dt, Shape.of(5, 2), 0, 1), "w");
    Tensor err = x.matmul(w).sub(y).square();
    Tensor perOutput = err.mean(0); // [2]: a mean over the sharded axis alone
    Tensor loss = perOutput.mul(g.constant(Nd4j.createFromArray(1.0, 3.0).castTo(dt.nd4j()))).sum();
    Tensor train = new GradientDescent(0.1).minimize(loss);
    return new Model(g, x, y, List.of(train, loss, perOutput), List.of(w, loss, perOutput));
  }

  /** No reduction at all: every output row is one input row's (a pure map, gathered back). */
  static Model pureMap(DType dt) {
    Graph g = new Graph();
    g.setSeed(5);
    Tensor x = shardedInput(g, dt, 5, "x");
    Tensor y = shardedInput(g, dt, 2, "y");
    Variable w = g.variable(g.random().normal(dt, Shape.of(5, 2), 0, 1), "w");
    Tensor out = g.nn().tanh(x.matmul(w)).mul(y);
    return new Model(g, x, y, List.of(out), List.of(out));
  }

  /**
   * Each row as a [1, 5] matrix times a shared [5, 2] weight: a batched matmul whose batch axis is
   * the split one, and whose weight gradient sums over the broadcast batch (a partial).
   */
  static Model batchedMatmul(DType dt) {
    Graph g = new Graph();
    g.setSeed(6);
    Tensor x = shardedInput(g, dt, 5, "x");
    Tensor y = shardedInput(g, dt, 2, "y");
    Variable w = g.variable(g.random().normal(dt, Shape.of(5, 2), 0, 1), "w");
    Tensor perRow = x.reshape(-1, 1, 5).matmul(w); // [batch, 1, 2]
    Tensor loss = perRow.reshape(-1, 2).sub(y).square().mean();
    Tensor train = new GradientDescent(0.1).minimize(loss);
    return new Model(g, x, y, List.of(train, loss), List.of(w, loss));
  }

  /**
   * A concat whose widths are known only when run (x is declared [?, ?]): its gradient slices at
   * offsets computed from the inputs' run-time shapes.
   */
  static Model concatOfRunTimeWidths(DType dt) {
    Graph g = new Graph();
    g.setSeed(7);
    Tensor x = shardedInput(g, dt, -1, "x");
    Tensor y = shardedInput(g, dt, 2, "y");
    Variable v = g.variable(g.random().normal(dt, Shape.of(5), 0, 1), "v");
    Variable w = g.variable(g.random().normal(dt, Shape.of(10, 2), 0, 1), "w");
    Tensor joined = g.ops().concat(List.of(x.mul(v), x), 1); // [batch, ?]
    Tensor loss = joined.matmul(w).sub(y).square().mean();
    Tensor train = new GradientDescent(0.1).minimize(loss);
    return new Model(g, x, y, List.of(train, loss), List.of(v, w, loss));
  }

  /**
   * A recurrence over the rows, h = tanh(h U + x W) three times, in a whileLoop: its body works row
   * by row, so the loop and its gradient loop stay split; U's gradient is a partial sum per shard.
   */
  static Model loopOverRows(DType dt) {
    Graph g = new Graph();
    g.setSeed(8);
    Tensor x = shardedInput(g, dt, 5, "x");
    Tensor y = shardedInput(g, dt, 2, "y");
    Variable w = g.variable(g.random().normal(dt, Shape.of(5, 2), 0, 1), "w");
    Variable u = g.variable(g.random().normal(dt, Shape.of(2, 2), 0, 1), "u");
    Tensor xw = x.matmul(w);
    Tensor three = g.constant(3, DType.INT32);
    Tensor h =
        g.control()
            .whileLoop(
                v -> g.ops().less(v.get(0), three),
                v -> List.of(v.get(0).add(1), g.nn().tanh(v.get(1).matmul(u).add(xw))),
                List.of(g.constant(0, DType.INT32), xw))
            .get(1);
    Tensor loss = h.sub(y).square().mean();
    Tensor train = new GradientDescent(0.1).minimize(loss);
    return new Model(g, x, y, List.of(train, loss), List.of(w, u, loss));
  }

  private static List<INDArray> steps(Model m, int devices, int steps, boolean intLabels) {
    try (Session sess = new Session(m.g(), new LocalRunner(m.g(), LocalOptions.cpus(devices)))) {
      sess.initializeAllVariables();
      List<INDArray> last = null;
      for (int s = 0; s < steps; s++) {
        INDArray x = uniform(100 + s, 7, 5, m.x().dtype()).subi(0.5);
        INDArray y =
            intLabels
                ? Nd4j.createFromArray(new int[] {0, 2, 1, 1, 0, 2, 2}).castTo(DataType.INT)
                : uniform(200 + s, 7, 2, m.x().dtype());
        sess.run(m.step(), Map.of(m.x(), x, m.y(), y));
        last = new ArrayList<>();
        for (Tensor t : m.compared()) {
          last.add(sess.run(t, Map.of(m.x(), x, m.y(), y)));
        }
      }
      return last;
    }
  }

  private static INDArray uniform(long seed, int rows, int cols, DType dt) {
    Random r = new Random(seed);
    double[][] v = new double[rows][cols];
    for (double[] row : v) {
      for (int j = 0; j < cols; j++) {
        row[j] = r.nextDouble();
      }
    }
    return Nd4j.createFromArray(v).castTo(dt.nd4j());
  }

  private static void assertSame(
      Supplier<Model> model, int devices, double tol, boolean intLabels) {
    List<INDArray> one = steps(model.get(), 1, 3, intLabels);
    List<INDArray> many = steps(model.get(), devices, 3, intLabels);
    for (int i = 0; i < one.size(); i++) {
      assertEquals(
          Arrays.toString(one.get(i).shape()),
          Arrays.toString(many.get(i).shape()),
          "shape of value " + i);
      double diff =
          one.get(i)
              .castTo(DataType.DOUBLE)
              .sub(many.get(i).castTo(DataType.DOUBLE))
              .amaxNumber()
              .doubleValue();
      assertTrue(diff <= tol, "value " + i + " differs by " + diff + " on " + devices + " devices");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void mlpTrainsAsOnOneDevice(int devices) {
    assertSame(() -> mlp(DType.FLOAT64), devices, 1e-10, true);
    assertSame(() -> mlp(DType.FLOAT32), devices, 1e-5, true);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void meanOverTheBatchIsExactWithUnequalShards(int devices) {
    assertSame(() -> meanOverBatch(DType.FLOAT64), devices, 1e-10, false);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void pureMapIsGatheredInOrder(int devices) {
    assertSame(() -> pureMap(DType.FLOAT64), devices, 1e-12, false);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void batchedMatmulTrainsAsOnOneDevice(int devices) {
    assertSame(() -> batchedMatmul(DType.FLOAT64), devices, 1e-10, false);
    assertSame(() -> batchedMatmul(DType.FLOAT32), devices, 1e-5, false);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void concatOfRunTimeWidthsTrainsAsOnOneDevice(int devices) {
    assertSame(() -> concatOfRunTimeWidths(DType.FLOAT64), devices, 1e-10, false);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void aLoopOverTheRowsTrainsAsOnOneDevice(int devices) {
    assertSame(() -> loopOverRows(DType.FLOAT64), devices, 1e-10, false);
  }
}
