package io.anygraph.bench;

import io.anygraph.core.Layouts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Identity;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The benchmark networks in TensorFlow's graph mode, as TF 1.x wrote them: variables initialized
 * from Anygraph's initial values, {@code tf.gradients} (the C API's {@code Graph.addGradients}) of
 * the mean softmax cross-entropy, and one {@code ApplyGradientDescent} per variable grouped under a
 * no-op train target.
 */
final class TfNets {
  private static final List<Long> UNIT_STRIDES = List.of(1L, 1L, 1L, 1L);

  private TfNets() {}

  /** The MLP from {@code w0, b0, w1, b1, ...}: relu between layers, none after the last. */
  static TfWorkload mlp(Map<String, INDArray> initial, double learningRate) {
    Builder b = new Builder(initial);
    Operand<TFloat32> a = b.x;
    int layers = 0;
    while (initial.containsKey("w" + layers)) {
      layers++;
    }
    if (layers == 0) {
      throw new IllegalArgumentException(
          "MLP parameters need w0, b0, ...; got " + initial.keySet());
    }
    for (int i = 0; i < layers; i++) {
      a = b.tf.nn.biasAdd(b.tf.linalg.matMul(a, b.variable("w" + i)), b.variable("b" + i));
      if (i < layers - 1) {
        a = b.tf.nn.relu(a);
      }
    }
    return b.train(a, learningRate);
  }

  /** MnistCnn: two conv 5x5 SAME + bias → relu → 2x2 max pool, then dense, in NHWC. */
  static TfWorkload cnn(Map<String, INDArray> initial, double learningRate) {
    Builder b = new Builder(initial);
    Ops tf = b.tf;
    Operand<TFloat32> a = tf.reshape(b.x, tf.constant(new int[] {-1, 28, 28, 1}));
    for (String layer : new String[] {"conv1", "conv2"}) {
      Operand<TFloat32> z =
          tf.nn.biasAdd(
              tf.nn.conv2d(a, b.variable(layer + "/weights"), UNIT_STRIDES, "SAME"),
              b.variable(layer + "/bias"));
      a =
          tf.nn.maxPool(
              tf.nn.relu(z),
              tf.constant(new int[] {1, 2, 2, 1}),
              tf.constant(new int[] {1, 2, 2, 1}),
              "SAME");
    }
    Operand<TFloat32> w = b.variable("dense/weights");
    int flat = (int) initial.get("dense/weights").size(0);
    Operand<TFloat32> logits =
        tf.nn.biasAdd(
            tf.linalg.matMul(tf.reshape(a, tf.constant(new int[] {-1, flat})), w),
            b.variable("dense/bias"));
    return b.train(logits, learningRate);
  }

  /**
   * A chain of n adds of a constant to a fed float32 [4] vector, run once per call, with graph
   * optimizations off: Grappler's arithmetic optimizer otherwise folds the chain into a couple of
   * ops (0.11 µs per add measured, i.e. no per-op cost at all), and the figure is meant to be the
   * cost of running one op.
   */
  static Runnable addChain(int n) {
    AddChain chain = AddChain.build(n);
    TFloat32 input = TFloat32.vectorOf(0, 0, 0, 0); // lives as long as the process, like the chain
    return () -> chain.run(input).close();
  }

  /** The add chain's graph, session (optimizations off) and ends. */
  record AddChain(Session session, Placeholder<TFloat32> x, Operand<TFloat32> result) {
    static AddChain build(int n) {
      Graph g = new Graph(); // lives as long as its session
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4)));
      Operand<TFloat32> c = tf.constant(new float[] {1, 1, 1, 1});
      Operand<TFloat32> out = x;
      for (int i = 0; i < n; i++) {
        out = tf.math.add(out, c);
      }
      ConfigProto unoptimized =
          ConfigProto.newBuilder()
              .setGraphOptions(
                  GraphOptions.newBuilder()
                      .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
                      .setOptimizerOptions(
                          OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)))
              .build();
      return new AddChain(new Session(g, unoptimized), x, out);
    }

    /** One run of the chain on {@code input}; the caller closes the result. */
    Result run(TFloat32 input) {
      return session.runner().feed(x, input).fetch(result).run();
    }
  }

  /** A graph with the batch placeholders and the variables made so far, in creation order. */
  private static final class Builder {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Placeholder<TFloat32> x =
        tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 784)));
    final Placeholder<TInt32> y =
        tf.withName("y").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    final Map<String, INDArray> initial;
    final Map<String, Operand<TFloat32>> variables = new LinkedHashMap<>();

    Builder(Map<String, INDArray> initial) {
      this.initial = initial;
    }

    /** A variable holding a copy of Anygraph's initial value for {@code name}. */
    Variable<TFloat32> variable(String name) {
      INDArray value = initial.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "no initial value for variable " + name + " among " + initial.keySet());
      }
      float[] values = Layouts.denseRowMajor(value.castTo(DataType.FLOAT)).data().asFloat();
      // TF Java's op names take no '/': conv1/weights becomes conv1_weights
      Variable<TFloat32> v =
          tf.withName(name.replace('/', '_'))
              .variable(tf.constant(Shape.of(value.shape()), DataBuffers.of(values, true, false)));
      variables.put(name, v);
      return v;
    }

    /**
     * Mean cross-entropy, its gradients, and one SGD update per variable. The labels go one-hot
     * into SoftmaxCrossEntropyWithLogits: TensorFlow's C++ gradient registry, which graph-mode
     * {@code tf.gradients} uses outside Python, has no gradient for the sparse op (the same
     * function of the logits, so the same loss and gradient).
     */
    TfWorkload train(Operand<TFloat32> logits, double learningRate) {
      int classes = (int) logits.shape().get(1);
      Operand<TFloat32> oneHot =
          tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> loss =
          tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(), tf.constant(0));
      List<Operand<TFloat32>> vars = new ArrayList<>(variables.values());
      Gradients grads = tf.gradients(loss, vars);
      Operand<TFloat32> rate = tf.constant((float) learningRate);
      // Every update waits for every gradient: the variables are updated in place (ref
      // variables), and an update that ran early would change what a later gradient reads.
      List<Operand<TFloat32>> gradients = new ArrayList<>();
      List<Op> computed = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        Identity<TFloat32> g = tf.identity(grads.<TFloat32>dy(i));
        gradients.add(g);
        computed.add(g);
      }
      Ops afterGradients = tf.withControlDependencies(computed);
      List<Op> updates = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        updates.add(afterGradients.train.applyGradientDescent(vars.get(i), rate, gradients.get(i)));
      }
      Op step = tf.withControlDependencies(updates).withName("train").noOp();
      return new TfWorkload(graph, x, y, loss, step, variables);
    }
  }
}
