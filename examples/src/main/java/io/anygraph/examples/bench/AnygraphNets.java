package io.anygraph.examples.bench;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.examples.mnist.MnistCnn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark networks as Anygraph graphs run by the local runner (one fetch per step). Public
 * for the {@code bench} module, which trains the same networks in TensorFlow from these workloads'
 * initial {@link GraphWorkload#parameters()}.
 */
public final class AnygraphNets {
  private AnygraphNets() {}

  /**
   * A dense relu network with layer widths {@code sizes} (variables {@code w0, b0, w1, ...}; He
   * normal weights from {@code seed + layer}, zero biases) trained by plain SGD.
   */
  public static GraphWorkload mlp(long[] sizes, long seed, double learningRate) {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, sizes[0]), "x");
    Tensor y = g.placeholder(DType.INT32, Shape.of(-1), "y");
    Tensor a = x;
    for (int i = 0; i < sizes.length - 1; i++) {
      INDArray init =
          Nd4j.randn(seed + i, new long[] {sizes[i], sizes[i + 1]})
              .castTo(DataType.FLOAT)
              .muli(Math.sqrt(2.0 / sizes[i]));
      Variable w = g.variable(g.constant(init), "w" + i);
      Variable b = g.variable(g.ops().zeros(DType.FLOAT32, sizes[i + 1]), "b" + i);
      a = g.nn().biasAdd(a.matmul(w), b);
      if (i < sizes.length - 2) {
        a = g.nn().relu(a);
      }
    }
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(a, y).mean();
    return session("Anygraph", g, new GradientDescent(learningRate).minimize(loss), loss, x, y);
  }

  /** {@link MnistCnn} trained by plain SGD. */
  public static GraphWorkload cnn(long seed, double learningRate) {
    MnistCnn m = new MnistCnn(seed, new GradientDescent(learningRate));
    return session("Anygraph", m.graph, m.train, m.loss, m.images, m.labels);
  }

  private static GraphWorkload session(
      String name, Graph g, Tensor train, Tensor loss, Tensor x, Tensor y) {
    Session sess = new Session(g); // lives as long as the benchmark process
    sess.initializeAllVariables();
    return new GraphWorkload(name, sess, train, loss, x, y);
  }

  /** A training step as one fetch of the graph's update op. */
  public record GraphWorkload(
      String name, Session session, Tensor train, Tensor loss, Tensor x, Tensor y)
      implements Workload {
    @Override
    public void step(INDArray features, INDArray labels) {
      session.run(train, Map.of(x, features, y, labels));
    }

    @Override
    public double loss(INDArray features, INDArray labels) {
      return session.run(loss, Map.of(x, features, y, labels)).getDouble(0);
    }

    @Override
    public void close() {
      session.close();
    }

    /** Copies of the variables' current values, by node name, in the graph's order. */
    @Override
    public Map<String, INDArray> parameters() {
      Map<String, INDArray> values = new LinkedHashMap<>();
      List<Variable> vars = session.graph().variables();
      for (Variable v : vars) {
        values.put(v.node().name(), session.variableValue(v).dup());
      }
      return values;
    }
  }

  /** A chain of n adds of a constant to a fed [4] vector, for dispatch overhead. */
  public static Runnable addChain(int n) {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(4), "x");
    Tensor c = g.constant(Nd4j.ones(DataType.FLOAT, 4), "c");
    Tensor out = x;
    for (int i = 0; i < n; i++) {
      out = out.add(c);
    }
    Session sess = new Session(g);
    INDArray input = Nd4j.zeros(DataType.FLOAT, 4);
    Tensor result = out;
    return () -> sess.run(result, Map.of(x, input));
  }
}
