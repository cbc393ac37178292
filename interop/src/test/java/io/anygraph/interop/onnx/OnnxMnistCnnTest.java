package io.anygraph.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Nn;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Adam;
import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MNIST CNN of the {@code mnist} command (conv 5x5 → relu → max pool, twice, then dense; NHWC),
 * trained for a few steps on the shipped digits, exported, and run in ONNX Runtime on test digits:
 * the same logits within float32 rounding and the same predicted digits as the local runner.
 */
class OnnxMnistCnnTest {
  @TempDir Path dir;

  @Test
  void trainedCnnPredictsTheSameDigitsInOnnxRuntime() throws Exception {
    Graph g = new Graph();
    g.setSeed(7);
    Nn nn = g.nn();
    Tensor images = g.placeholder(DType.FLOAT32, Shape.of(-1, 784), "images");
    Tensor labels = g.placeholder(DType.INT32, Shape.of(-1), "labels");
    Tensor x = images.reshape(-1, 28, 28, 1);
    x = convReluPool(g, "conv1", x, 1, 8);
    x = convReluPool(g, "conv2", x, 8, 16);
    Tensor logits;
    try (Scope s = g.nameScope("dense")) {
      Variable w =
          g.variable(g.random().normal(DType.FLOAT32, Shape.of(784, 10), 0, 0.05), "weights");
      Variable b = g.variable(g.ops().zeros(DType.FLOAT32, 10), "bias");
      logits = g.withName("logits").add(x.reshape(-1, 784).matmul(w), b);
    }
    Tensor probabilities = nn.softmax(logits);
    Tensor predicted = g.ops().argMax(logits, 1);
    Tensor loss = nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).mean();
    Tensor train = new Adam(0.002).minimize(loss);

    Mnist mnist = Mnist.load(Mnist.defaultDir());
    Dataset test = mnist.test().take(200);
    Path file = dir.resolve("mnist.onnx");
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      for (int step = 0; step < 30; step++) {
        Dataset batch = mnist.train().range(step * 32, step * 32 + 32);
        s.run(List.of(train), Map.of(images, batch.features(), labels, batch.labels()));
      }
      OnnxExport.write(s, List.of(logits, probabilities, predicted), file);
      List<INDArray> expected =
          s.run(List.of(logits, probabilities, predicted), Map.of(images, test.features()));
      List<INDArray> actual =
          OnnxRuntimeOracle.run(Files.readAllBytes(file), Map.of("images", test.features()));
      OnnxRuntimeOracle.assertClose(expected.get(0), actual.get(0), "logits");
      OnnxRuntimeOracle.assertClose(expected.get(1), actual.get(1), "probabilities");
      assertEquals(expected.get(2), actual.get(2), "predicted digits");
      long right = 0;
      long[] digits = actual.get(2).data().asLong();
      int[] truth = test.labels().data().asInt();
      for (int i = 0; i < digits.length; i++) {
        right += digits[i] == truth[i] ? 1 : 0;
      }
      // 30 steps of Adam take the CNN well past chance (10%): the exported weights are trained ones
      assertTrue(right >= 100, "ONNX Runtime got " + right + " of 200 test digits right");
    }
  }

  /** conv 5x5 SAME + bias → relu → 2x2 max pool, stride 2, as MnistCnn. */
  private static Tensor convReluPool(Graph g, String scope, Tensor x, long in, long out) {
    Nn nn = g.nn();
    try (Scope s = g.nameScope(scope)) {
      Variable w =
          g.variable(
              g.random()
                  .normal(DType.FLOAT32, Shape.of(5, 5, in, out), 0, Math.sqrt(2.0 / (25 * in))),
              "weights");
      Variable b = g.variable(g.constant(0.1, DType.FLOAT32, out), "bias");
      Tensor z = nn.biasAdd(nn.conv2d(x, w, new long[] {1, 1, 1, 1}, "SAME"), b);
      return nn.maxPool(nn.relu(z), new long[] {1, 2, 2, 1}, new long[] {1, 2, 2, 1}, "SAME");
    }
  }
}
