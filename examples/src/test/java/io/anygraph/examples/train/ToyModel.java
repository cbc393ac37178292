package io.anygraph.examples.train;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.data.Dataset;
import java.io.PrintStream;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The smallest model the shared command can train: softmax regression of 4 features to 3 classes
 * (the class is the index of the largest of the first three features), on generated rows, without a
 * {@code --data} option. Tests of the shared machinery use it for speed and to see that nothing in
 * it is MNIST's.
 */
final class ToyModel implements ExampleModel<ToyModel.Net> {
  /** Softmax regression: logits = x W + b. */
  static final class Net implements ModelGraph {
    final Graph graph = new Graph();
    final Tensor x;
    final Tensor y;
    final Tensor loss;
    final Tensor correct;
    final Tensor logits;
    final Tensor train;

    Net(long seed, double learningRate) {
      graph.setSeed(seed);
      try (Scope s = graph.sharded()) {
        x = graph.placeholder(DType.FLOAT32, Shape.of(-1, 4), "x");
        y = graph.placeholder(DType.INT32, Shape.of(-1), "y");
      }
      Variable w =
          graph.variable(graph.random().normal(DType.FLOAT32, Shape.of(4, 3), 0, 0.5), "w");
      Variable b = graph.variable(graph.ops().zeros(DType.FLOAT32, 3), "b");
      logits = graph.nn().biasAdd(x.matmul(w), b);
      loss = graph.nn().sparseSoftmaxCrossEntropyWithLogits(logits, y).mean();
      Tensor predicted = graph.ops().argMax(logits, 1).cast(DType.INT32);
      correct = graph.ops().equal(predicted, y).cast(DType.FLOAT32).sum();
      train = new Adam(learningRate).minimize(loss);
    }

    @Override
    public Graph graph() {
      return graph;
    }

    @Override
    public Tensor features() {
      return x;
    }

    @Override
    public Tensor labels() {
      return y;
    }

    @Override
    public Tensor train() {
      return train;
    }

    @Override
    public Tensor loss() {
      return loss;
    }

    @Override
    public Tensor prediction() {
      return logits;
    }

    @Override
    public Tensor evaluation() {
      return correct;
    }
  }

  @Override
  public String name() {
    return "toy";
  }

  @Override
  public String summary() {
    return "softmax regression on generated rows";
  }

  @Override
  public String examples() {
    return "rows";
  }

  @Override
  public String optimizer() {
    return "Adam";
  }

  @Override
  public Defaults defaults() {
    return new Defaults("2", "16", "0.05");
  }

  @Override
  public String dataHelp() {
    return null;
  }

  @Override
  public Net build(long seed, double learningRate) {
    return new Net(seed, learningRate);
  }

  @Override
  public Metric metric() {
    return Metric.accuracy("toy accuracy", "toy_accuracy");
  }

  @Override
  public TrainingData load(TrainOptions options) {
    return new TrainingData(rows(200, 1), rows(50, 2), "toy rows");
  }

  /** Shows the hook: the loss on the held-out rows, printed and added to the JSON summary. */
  @Override
  public Map<String, Object> afterTraining(
      Session session, Net model, TrainOptions options, Dataset heldOut, PrintStream out) {
    double loss =
        session
            .run(model.loss, Map.of(model.x, heldOut.features(), model.y, heldOut.labels()))
            .getDouble(0);
    out.printf("toy: held-out loss %.4f on %d rows%n", loss, heldOut.size());
    return Map.of("held_out_loss", loss);
  }

  /** {@code n} rows of 4 uniform features in [0, 1); the label is the argmax of the first 3. */
  static Dataset rows(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    INDArray x = Nd4j.create(DataType.FLOAT, n, 4);
    INDArray y = Nd4j.create(DataType.INT32, n);
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 0; j < 4; j++) {
        x.putScalar(i, j, (float) random.nextDouble());
        if (j < 3 && x.getFloat(i, j) > x.getFloat(i, best)) {
          best = j;
        }
      }
      y.putScalar(i, best);
    }
    return new Dataset(x, y);
  }
}
