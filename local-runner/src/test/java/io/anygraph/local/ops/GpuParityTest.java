package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.testing.BackendReference;
import io.anygraph.local.DeviceCatalog;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.local.plan.LogicalDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every op's kernel on {@code gpu:0} against the CPU backend, within float32 tolerance: each case
 * of {@link StridedCases} (dense inputs) runs on the default build, which writes its outputs
 * ({@link BackendReference}), then on a {@code -Pcuda} build with a CUDA device, which compares.
 * Where there is no CUDA device both tests are skipped with the reason; {@code bin/gpu-check} runs
 * them on a GPU machine and lists each op's result in {@code target/gpu-parity.txt}.
 *
 * <p>{@code -Danygraph.gpu.fake=true} runs the comparing side on the CPU backend with a fake GPU,
 * to check the harness itself: it proves nothing about a GPU.
 */
class GpuParityTest {
  private static final String FAKE = "anygraph.gpu.fake";

  @Test
  void writeTheCpuReference() {
    Path dir = BackendReference.writeDirOrSkip();
    assertEquals(0, LogicalDevices.gpuCount(), "the reference comes from the CPU backend");
    List<StridedCase> cases = StridedCases.all();
    for (int i = 0; i < cases.size(); i++) {
      BackendReference.write(dir, name(i, cases.get(i)), run(cases.get(i), LocalOptions.cpus(1)));
    }
  }

  @Test
  void everyKernelOnGpu0AgreesWithTheCpuBackend() throws IOException {
    boolean fake = Boolean.getBoolean(FAKE);
    assumeTrue(fake || LogicalDevices.gpuCount() > 0, BackendReference.NO_GPU);
    Path dir = BackendReference.readDirOrSkip();
    LocalOptions gpu0 = LocalOptions.devices("gpu:0");
    if (fake) {
      gpu0 = gpu0.withCatalog(DeviceCatalog.fake(1, Set.of()));
    }
    List<StridedCase> cases = StridedCases.all();
    List<String> report = new ArrayList<>();
    int bad = 0;
    for (int i = 0; i < cases.size(); i++) {
      StridedCase c = cases.get(i);
      List<INDArray> expected = BackendReference.read(dir, name(i, c));
      assertTrue(!expected.isEmpty(), "no reference for case " + name(i, c) + " in " + dir);
      String problem;
      try {
        List<INDArray> got = run(c, gpu0);
        problem = got.size() == expected.size() ? null : "output count " + got.size();
        for (int k = 0; problem == null && k < got.size(); k++) {
          double[] tol = tolerance(expected.get(k));
          problem = BackendReference.mismatch(expected.get(k), got.get(k), tol[0], tol[1]);
          problem = problem == null ? null : "output " + k + ": " + problem;
        }
      } catch (RuntimeException e) {
        problem = "failed: " + e.getMessage();
      }
      bad += problem == null ? 0 : 1;
      report.add(name(i, c) + ": " + (problem == null ? "ok" : problem));
    }
    Path out = Path.of("target", "gpu-parity.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
    assertEquals(
        0, bad, String.join("\n", report.stream().filter(l -> !l.endsWith(": ok")).toList()));
  }

  /** {absolute, relative}: float32's 24-bit mantissa, with room for a different summation order. */
  private static double[] tolerance(INDArray expected) {
    DType t = DType.fromNd4j(expected.dataType());
    return switch (t) {
      case FLOAT64 -> new double[] {1e-9, 1e-9};
      case FLOAT16, BFLOAT16 -> new double[] {1e-2, 1e-2};
      default -> new double[] {1e-5, 1e-4};
    };
  }

  private static String name(int i, StridedCase c) {
    return String.format("%03d-%s", i, c.op());
  }

  /** The case on dense inputs, on the runner's default device; every output, detached. */
  private static List<INDArray> run(StridedCase c, LocalOptions options) {
    Graph g = new Graph();
    Map<Tensor, INDArray> feeds = new HashMap<>();
    List<INDArray> values = StridedInputsTest.values(c, StridedInputsTest.Layout.DENSE);
    List<Tensor> outs =
        c.build(g, StridedInputsTest.inputs(g, c, values, StridedInputsTest.Layout.DENSE, feeds));
    try (Session sess = new Session(g, new LocalRunner(g, options))) {
      return sess.run(outs, feeds).stream().map(INDArray::dup).toList();
    }
  }
}
