package io.anygraph.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.Graph;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The benchmark compares like with like: from the same initial weights, one SGD step of the
 * hand-written ND4J MLP and of the Anygraph graph (whose gradients are checked against finite
 * differences in the op tests) give the same parameters.
 */
class BaselinesTest {
  @Test
  void rawNd4jMlpTakesTheSameStepAsTheGraph() {
    long[] sizes = {12, 7, 5, 3};
    INDArray x = Nd4j.rand(3, new long[] {6, 12}).castTo(DataType.FLOAT);
    INDArray y = Nd4j.createFromArray(0, 2, 1, 1, 0, 2);
    RawNd4jMlp raw = new RawNd4jMlp(sizes, 9, 0.5);
    AnygraphNets.GraphWorkload graph = AnygraphNets.mlp(sizes, 9, 0.5);
    for (int step = 0; step < 3; step++) {
      raw.step(x, y);
      graph.step(x, y);
    }
    Graph g = graph.session().graph();
    for (int i = 0; i < 3; i++) {
      assertClose(raw.weights()[i], graph.session().run(g.tensor("w" + i)));
      assertClose(raw.biases()[i].reshape(sizes[i + 1]), graph.session().run(g.tensor("b" + i)));
    }
  }

  private static void assertClose(INDArray expected, INDArray actual) {
    assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()));
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    assertEquals(0, diff, 1e-5, "largest difference");
  }
}
