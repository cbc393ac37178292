package io.anygraph.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anygraph.core.Session;
import io.anygraph.core.Variable;
import io.anygraph.core.testing.BackendReference;
import io.anygraph.data.Batch;
import io.anygraph.data.Mnist;
import io.anygraph.local.DeviceCatalog;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.local.plan.LogicalDevices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One MNIST training step (CNN, Adam, 64 shipped digits) on {@code gpu:0} gives the parameters the
 * CPU backend gives within 1e-4. The CPU side is written by the default build, the GPU side
 * compares in a {@code -Pcuda} build ({@link BackendReference}; bin/gpu-check runs both). Skipped,
 * with the reason, where there is no CUDA device; {@code -Danygraph.gpu.fake=true} checks the
 * harness on a fake GPU (the CPU backend), which proves nothing about a GPU.
 */
class MnistGpuStepTest {
  private static final String NAME = "mnist-step";

  private static List<INDArray> afterOneStep(LocalOptions options) throws IOException {
    Batch batch = Mnist.load(Mnist.defaultDir()).train().take(64).batches(64).iterator().next();
    MnistCnn m = new MnistCnn(11, 0.001);
    try (Session sess = new Session(m.graph, new LocalRunner(m.graph, options))) {
      sess.initializeAllVariables();
      sess.run(
          List.of(m.train, m.loss), Map.of(m.images, batch.features(), m.labels, batch.labels()));
      List<INDArray> out = new ArrayList<>();
      for (Variable v : m.graph.variables()) {
        out.add(sess.run(v).dup());
      }
      return out;
    }
  }

  @Test
  void writeTheCpuReference() throws IOException {
    Path dir = BackendReference.writeDirOrSkip();
    assertEquals(0, LogicalDevices.gpuCount(), "the reference comes from the CPU backend");
    BackendReference.write(dir, NAME, afterOneStep(LocalOptions.cpus(1)));
  }

  @Test
  void oneStepOnGpu0EqualsTheCpuWithin1e4() throws IOException {
    boolean fake = Boolean.getBoolean("anygraph.gpu.fake");
    assumeTrue(fake || LogicalDevices.gpuCount() > 0, BackendReference.NO_GPU);
    List<INDArray> expected = BackendReference.read(BackendReference.readDirOrSkip(), NAME);
    LocalOptions gpu0 = LocalOptions.devices("gpu:0");
    List<INDArray> got =
        afterOneStep(fake ? gpu0.withCatalog(DeviceCatalog.fake(1, Set.of())) : gpu0);
    assertEquals(expected.size(), got.size(), "variables");
    for (int i = 0; i < got.size(); i++) {
      assertNull(BackendReference.mismatch(expected.get(i), got.get(i), 1e-4, 0), "variable " + i);
    }
  }
}
