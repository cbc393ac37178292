package io.anygraph.local.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.io.MemoryDirectory;
import io.anygraph.core.train.AdamW;
import io.anygraph.core.train.GlobalStep;
import io.anygraph.core.train.Optimizer;
import io.anygraph.core.train.RMSProp;
import io.anygraph.core.train.Schedules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A run stopped after 3 steps, checkpointed and resumed in a fresh graph and session gives, after 2
 * more steps, exactly the numbers of 5 uninterrupted steps: the slots (sparse and dense), Adam's
 * powers and the global step driving the schedule are all in the checkpoint.
 */
class OptimizerCheckpointTest {
  private record Model(Graph g, Tensor ids, Tensor step, List<Variable> vars) {}

  private static Model model(Function<Tensor, Optimizer> optimizer) {
    Graph g = new Graph();
    Variable table =
        g.shared(Nd4j.linspace(-1, 1, 12).castTo(DataType.DOUBLE).reshape(6, 2), "table");
    Variable w = g.shared(Nd4j.createFromArray(0.5, -0.25).reshape(2, 1), "w");
    Tensor ids = g.placeholder(DType.INT64, Shape.of(-1), "ids");
    Tensor out = g.nn().embeddingLookup(table, ids).matmul(w);
    Tensor loss = out.sub(1).square().mean();
    Variable step = GlobalStep.of(g);
    Tensor lr = Schedules.linearWarmup(step, Schedules.cosineDecay(step, 0.1, 6, 0), 2);
    return new Model(g, ids, optimizer.apply(lr).minimize(loss), g.variables());
  }

  private static INDArray ids(int s) {
    return Nd4j.createFromArray((long) s % 6, (s + 2) % 6, (long) s % 6);
  }

  private static List<INDArray> values(Session sess, Model m) {
    List<INDArray> out = new ArrayList<>();
    for (Variable v : m.vars()) {
      out.add(sess.variableValue(v).dup());
    }
    return out;
  }

  private static void assertResumesExactly(Function<Tensor, Optimizer> optimizer) throws Exception {
    Model straight = model(optimizer);
    List<INDArray> want;
    try (Session sess = new Session(straight.g())) {
      sess.initializeAllVariables();
      for (int s = 0; s < 5; s++) {
        sess.run(straight.step(), Map.of(straight.ids(), ids(s)));
      }
      want = values(sess, straight);
    }
    MemoryDirectory dir = new MemoryDirectory();
    Model first = model(optimizer);
    try (Session sess = new Session(first.g())) {
      sess.initializeAllVariables();
      for (int s = 0; s < 3; s++) {
        sess.run(first.step(), Map.of(first.ids(), ids(s)));
      }
      Checkpoint.save(sess, dir, 3, 1);
    }
    Model resumed = model(optimizer);
    try (Session sess = new Session(resumed.g())) {
      assertEquals(3L, Checkpoint.restoreLatest(sess, dir).orElseThrow());
      for (int s = 3; s < 5; s++) {
        sess.run(resumed.step(), Map.of(resumed.ids(), ids(s)));
      }
      List<INDArray> got = values(sess, resumed);
      for (int i = 0; i < want.size(); i++) {
        // INDArray.equals allows 1e-5: compare the doubles themselves
        assertArrayEquals(
            want.get(i).dup('c').data().asDouble(),
            got.get(i).dup('c').data().asDouble(),
            "variable " + resumed.vars().get(i).name());
      }
    }
  }

  @Test
  void adamWWithAScheduleResumesExactly() throws Exception {
    assertResumesExactly(lr -> new AdamW(lr, 0.05));
  }

  @Test
  void centeredRmsPropResumesExactly() throws Exception {
    assertResumesExactly(lr -> new RMSProp(lr, 0.9, 0.5, 1e-8, true));
  }
}
