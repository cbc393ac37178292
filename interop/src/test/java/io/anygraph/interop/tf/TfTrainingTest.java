package io.anygraph.interop.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.interop.tf.TfOracle.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * A whole CNN training step against TensorFlow: TensorFlow runs SGD with its own gradients ({@code
 * addGradients} + {@code ApplyGradientDescent}); Anygraph imports the forward graph, adds its own
 * optimizer, and must give the same losses and weights after every step.
 */
class TfTrainingTest {
  static final int STEPS = 3;
  static final float RATE = 0.5f;

  @Test
  void sgdStepsOfAnImportedCnnMatchTensorFlow(@TempDir Path dir) throws Exception {
    try (TfOracle tf = new TfOracle()) {
      TfCnn cnn = new TfCnn(tf);
      byte[] graphDef = tf.graphDef(); // the forward graph, as a user would export it
      List<Output<?>> grads =
          List.of(tf.g.addGradients(cnn.loss, cnn.reads.toArray(Output<?>[]::new)));
      List<String> applies = tfSgd(tf, cnn, grads);
      List<List<Value>> expected = new ArrayList<>();
      try (var s = tf.newSession()) {
        s.runner().addTarget("init").run().close();
        for (int step = 0; step < STEPS; step++) {
          // Gradients first, applied in a second run: in one run, an in-place apply could race
          // with a gradient that still reads the same weights.
          var r = s.runner();
          var fed = tf.feedAll(r);
          r.fetch(cnn.loss);
          grads.forEach(r::fetch);
          try (Result res = r.run()) {
            expected.add(List.of(TfOracle.value(res, 0)));
            var apply = s.runner();
            for (int i = 0; i < grads.size(); i++) {
              apply.feed(grads.get(i), res.get(i + 1));
            }
            applies.forEach(apply::addTarget);
            apply.run().close();
          }
          fed.forEach(t -> t.close());
        }
        var r = s.runner();
        cnn.reads.forEach(r::fetch);
        try (Result res = r.run()) {
          List<Value> weights = new ArrayList<>();
          for (int i = 0; i < cnn.reads.size(); i++) {
            weights.add(TfOracle.value(res, i));
          }
          expected.add(weights);
        }
      }

      ImportedGraph imported = GraphDefs.importGraph(graphDef);
      Tensor loss = imported.tensor("loss/Mean");
      Tensor train = new GradientDescent(RATE).minimize(loss);
      try (Session s = new Session(imported.graph())) {
        s.run(imported.tensor("init"));
        for (int step = 0; step < STEPS; step++) {
          List<Value> got = AnygraphRuns.run(tf, s, imported, List.of(loss, train));
          TfOracleTest.assertClose(expected.get(step).get(0), got.get(0), "loss at step " + step);
        }
        List<Tensor> weights = cnn.variables.stream().map(imported::tensor).toList();
        List<Value> got = AnygraphRuns.run(tf, s, imported, weights);
        for (int i = 0; i < weights.size(); i++) {
          TfOracleTest.assertClose(
              expected.get(STEPS).get(i),
              got.get(i),
              cnn.variables.get(i) + " after " + STEPS + " steps");
        }
      }
      // the imported graph, with its optimizer, saves and loads as any Anygraph graph
      Path folder = dir.resolve("cnn");
      imported.graph().save(folder);
      Graph loaded = Graph.load(folder);
      assertEquals(imported.graph().size(), loaded.size());
      assertEquals(
          imported.graph().node("conv1/Conv2D").attrs().toString(),
          loaded.node("conv1/Conv2D").attrs().toString());
      double first = expected.get(0).get(0).values()[0];
      double last = expected.get(STEPS - 1).get(0).values()[0];
      assertTrue(
          last < first, "the loss falls (" + first + " -> " + last + "), so the steps matter");
    }
  }

  /** TensorFlow's own SGD: gradients through the variables' reads, applied to the variables. */
  private static List<String> tfSgd(TfOracle tf, TfCnn cnn, List<Output<?>> grads) {
    Output<?> rate;
    try (TFloat32 t = TFloat32.scalarOf(RATE)) {
      rate = tf.op("Const", "sgd/rate", Map.of("dtype", DataType.DT_FLOAT, "value", t));
    }
    List<String> applies = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      String name = "sgd/apply" + i;
      tf.op("ApplyGradientDescent", name, Map.of(), cnn.refs.get(i), rate, grads.get(i));
      applies.add(name);
    }
    return applies;
  }
}
