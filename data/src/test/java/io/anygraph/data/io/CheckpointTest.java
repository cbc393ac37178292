package io.anygraph.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.io.Directory;
import io.anygraph.core.train.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checkpoints through Hadoop's local file system (HDFS is covered by the HDFS test). */
class CheckpointTest {
  @TempDir Path tmp;

  private static final float[][] X = {{1, 2}, {3, -1}, {0.5f, 0.5f}};
  private static final float[][] Y = {{1}, {0}, {2}};

  static Graph model() {
    Graph g = new Graph();
    g.setSeed(11);
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    Tensor y = g.placeholder(DType.FLOAT32, Shape.of(-1, 1), "y");
    Variable w = g.variable(g.random().normal(DType.FLOAT32, Shape.of(2, 1), 0, 1), "w");
    Tensor loss = x.matmul(w).sub(y).square().mean();
    new Adam(0.05).minimize(loss);
    return g;
  }

  static void steps(Session s, int n) {
    Tensor step = s.graph().tensor("Adam/step");
    for (int i = 0; i < n; i++) {
      s.run(step, Map.of("x", X, "y", Y));
    }
  }

  static List<INDArray> values(Session s) {
    List<INDArray> out = new ArrayList<>();
    for (Variable v : s.graph().variables()) {
      out.add(s.variableValue(v));
    }
    return out;
  }

  private Directory dir() throws IOException {
    return HadoopDirectory.of(tmp.resolve("ckpts").toUri().toString());
  }

  @Test
  void resumingContinuesExactlyLikeAnUninterruptedRun() throws IOException {
    Graph g = model();
    List<INDArray> straight;
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      steps(s, 10);
      straight = values(s);
    }
    try (Session first = new Session(g)) {
      first.initializeAllVariables();
      steps(first, 4);
      Checkpoint.save(first, dir(), 4, 3);
    }
    try (Session resumed = new Session(g)) {
      assertEquals(Optional.of(4L), Checkpoint.restoreLatest(resumed, dir()));
      steps(resumed, 6);
      assertEquals(straight, values(resumed), "weights, Adam moments and beta powers all resume");
    }
  }

  @Test
  void keepsTheNewestAndIgnoresUnfinishedWrites() throws IOException {
    Graph g = model();
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      for (long step = 1; step <= 5; step++) {
        steps(s, 1);
        Checkpoint.save(s, dir(), step, 2);
      }
      // a writer that died mid-way leaves only a hidden temporary folder behind
      Files.createDirectories(tmp.resolve("ckpts/.ckpt-9.tmp-dead"));
      assertEquals(List.of(4L, 5L), Checkpoint.steps(dir()));
      List<INDArray> before = values(s);
      steps(s, 3);
      assertEquals(Optional.of(5L), Checkpoint.restoreLatest(s, dir()));
      assertEquals(before, values(s));
    }
  }

  @Test
  void corruptionIsDetectedAndChangesNothing() throws IOException {
    Graph g = model();
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      Checkpoint.save(s, dir(), 7, 5);
      Path file = tmp.resolve("ckpts/ckpt-7/0.npy");
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length - 1] ^= 0x10;
      Files.write(file, bytes);
      steps(s, 2);
      List<INDArray> before = values(s);
      String m =
          assertThrows(AnygraphException.class, () -> Checkpoint.restoreLatest(s, dir()))
              .getMessage();
      assertTrue((m.contains("checksum") || m.contains("corrupt")) && m.contains("'w'"), m);
      assertEquals(before, values(s), "a failed restore leaves every variable as it was");
    }
  }

  @Test
  void aCheckpointOfAnotherModelIsRefused() throws IOException {
    Graph other = new Graph();
    Variable w = other.variable(other.ops().zeros(DType.FLOAT32, 3, 1), "w");
    try (Session s = new Session(model());
        Session o = new Session(other)) {
      o.initializeAllVariables();
      Checkpoint.save(o, dir(), 1, 5);
      String m =
          assertThrows(AnygraphException.class, () -> Checkpoint.restoreLatest(s, dir()))
              .getMessage();
      assertTrue(m.contains("'w'") || m.contains("no value"), m);
    }
  }

  @Test
  void noCheckpointMeansEmpty() throws IOException {
    try (Session s = new Session(model())) {
      assertEquals(Optional.empty(), Checkpoint.restoreLatest(s, dir()));
    }
  }
}
