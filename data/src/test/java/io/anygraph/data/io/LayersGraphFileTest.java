package io.anygraph.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.BatchNorm;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph using every layers' building block (cumsum, topK, masked softmax, attention, layer and
 * batch normalization, clipByGlobalNorm) saves and loads through the graph file and trains to the
 * same numbers after loading.
 */
class LayersGraphFileTest {
  @TempDir Path tmp;

  private static Graph model() {
    Graph g = new Graph();
    g.setSeed(8);
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(-1, 3, 4), "x");
    BatchNorm bn = new BatchNorm(g, "bn", DType.FLOAT64, Shape.of(4), new int[] {0, 1});
    Tensor h = bn.apply(x, true);
    Tensor keep = g.ops().greater(h, g.ops().zerosLike(h));
    Tensor probs = g.nn().softmax(h, keep);
    Tensor att = g.nn().attention(h, h, probs, null, true);
    Tensor normed = g.nn().layerNorm(att, new int[] {-1}, null, null, 1e-3);
    Tensor top = g.nn().topK(g.ops().cumsum(normed, -1, true, true), 2, true).get(0);
    Tensor loss = g.withName("loss").identity(top.square().mean());
    List<Tensor> clipped =
        g.ops().clipByGlobalNorm(g.grad(loss, List.of(bn.gamma(), bn.beta())), 0.5).tensors();
    List<Tensor> step = new ArrayList<>(bn.updateOps());
    step.add(g.ops().assign(bn.gamma(), bn.gamma().sub(clipped.get(0).mul(0.1))));
    step.add(g.ops().assign(bn.beta(), bn.beta().sub(clipped.get(1).mul(0.1))));
    g.withName("step").group(step);
    return g;
  }

  private static final double[][][] X = {
    {{1, 2, 3, 4}, {-1, 0.5, 0, 2}, {3, -2, 1, 0}}, {{0, 1, -1, 2}, {2, 2, -3, 1}, {1, 0, 0, 5}}
  };

  private static List<INDArray> trainTwoSteps(Graph g) {
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      s.run(g.tensor("step"), Map.of("x", X));
      s.run(g.tensor("step"), Map.of("x", X));
      return s.run(
          List.of(g.tensor("loss"), g.tensor("bn/gamma"), g.tensor("bn/movingMean")),
          Map.of("x", X));
    }
  }

  @Test
  void layersRoundTripByNameAndTrainAlike() throws IOException {
    Graph g = model();
    g.save(tmp.resolve("layers"));
    String json = Files.readString(tmp.resolve("layers/graph.json"));
    assertTrue(json.contains("\"op\" : \"cumsum\"") && json.contains("\"op\" : \"topK\""));
    Graph back = Graph.load(tmp.resolve("layers"));
    assertEquals(g.size(), back.size());
    for (int i = 0; i < g.size(); i++) {
      var a = g.nodes().get(i);
      var b = back.nodes().get(i);
      assertEquals(
          List.of(a.name(), a.op(), a.outputs(), a.attrs().toString()),
          List.of(b.name(), b.op(), b.outputs(), b.attrs().toString()));
    }
    assertEquals(trainTwoSteps(g), trainTwoSteps(back));
  }
}
