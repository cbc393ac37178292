package io.anygraph.examples;

import io.anygraph.core.DType;
import io.anygraph.core.Function;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tutorial's last section: a first convolutional layer of 3 neurons on MNIST images. */
final class ConvLayer {
  private static final long SEED = 42;

  private ConvLayer() {}

  /** Variables initialized by ops, run after {@code initialize_all_variables}. */
  static void tensorflow(Tutorial t) {
    t.section(
        "a first convolutional layer, TensorFlow style",
        """
        x = tf.placeholder(tf.float32, [None, 784])
        weights = tf.Variable(tf.random_normal([5, 5, 1, 3], stddev=0.1))
        bias = tf.Variable(tf.constant(0.1, shape=[1,3]))
        x_image = tf.reshape(x, [-1,28,28,1])
        z = tf.nn.conv2d(x_image, weights, strides=[1, 1, 1, 1], padding='SAME') + bias
        sess.run(tf.initialize_all_variables())""");
    Graph g = new Graph();
    g.setSeed(SEED);
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 784), "x");
    Variable weights =
        g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 5, 1, 3), 0, 0.1), "weights");
    Variable bias = g.variable(g.constant(0.1, DType.FLOAT32, 1, 3), "bias");
    Tensor xImage = x.reshape(-1, 28, 28, 1);
    Tensor z = g.nn().conv2d(xImage, weights, new long[] {1, 1, 1, 1}, "SAME").add(bias);
    try (Session sess = new Session(g)) {
      sess.initializeAllVariables();
      INDArray images = images(2).castTo(DataType.FLOAT);
      INDArray out = sess.run(z, Map.of(x, images));
      t.result("z", z.type());
      t.result("sess.run(z) on 2 images", Tutorial.describe(out) + ", mean " + mean(out));
    }
  }

  /** Shared variables from arrays, no initialization; Theano's true convolution, NCHW. */
  static void theano(Tutorial t) {
    t.section(
        "a first convolutional layer, Theano style",
        """
        x = th.tensor4(name='input', dtype='float64')
        weights = theano.shared( 0.1 * np.random.randn(5,5,1,3), name ='weights')
        bias = theano.shared( np.asarray([0.1,0.1,0.1], dtype='float64'), name ='bias')
        output = conv.conv2d(x, weights) + bias
        f = theano.function([x], output)""");
    t.out()
        .println(
            "   (Theano's filters are (filters, channels, rows, cols) and its images"
                + " (batch, channels, rows, cols): the 3 filters of 5x5 are (3,1,5,5) here, and the"
                + " bias is broadcast over the channel axis)");
    Graph th = new Graph();
    Tensor x = th.placeholder(DType.FLOAT64, Shape.of(-1, -1, -1, -1), "input");
    INDArray w = Nd4j.randn(SEED, new long[] {3, 1, 5, 5}).castTo(DataType.DOUBLE).muli(0.1);
    Variable weights = th.shared(w, "weights");
    Variable bias = th.shared(Nd4j.createFromArray(0.1, 0.1, 0.1), "bias");
    Tensor output = th.nn().conv2dTheano(x, weights, "valid").add(bias.reshape(1, 3, 1, 1));
    Function f = th.function(List.of(x), output);
    INDArray images = images(2).reshape(2, 1, 28, 28);
    INDArray out = f.call(images);
    t.result("output", output.type());
    t.result("f(2 images)", Tutorial.describe(out) + ", mean " + mean(out));
  }

  /** n images of 28x28 pixels in [0, 1], the same on every run. */
  private static INDArray images(int n) {
    return Nd4j.rand(SEED, new long[] {n, 784}).castTo(DataType.DOUBLE);
  }

  private static String mean(INDArray a) {
    return String.format("%.6f", a.meanNumber().doubleValue());
  }
}
