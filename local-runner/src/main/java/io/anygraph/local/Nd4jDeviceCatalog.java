package io.anygraph.local;

import io.anygraph.local.plan.LogicalDevices;
import java.util.Set;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPUs ND4J's loaded backend sees: the CUDA devices with nd4j-cuda ({@code -Pcuda}), none with
 * nd4j-native. Asked once, on first use (loading the backend).
 */
final class Nd4jDeviceCatalog implements DeviceCatalog {
  static final Nd4jDeviceCatalog INSTANCE = new Nd4jDeviceCatalog();

  /**
   * Ops whose kernels do not run on ND4J's CUDA backend; soft placement puts them on a CPU device.
   * Empty because nothing has run on a GPU yet: GpuKernelParityTest (run by bin/gpu-check on a
   * machine with CUDA) names the ops that fail there, and they belong here.
   */
  static final Set<String> NO_CUDA_KERNEL = Set.of();

  private volatile Integer gpus;

  private Nd4jDeviceCatalog() {}

  @Override
  public int gpus() {
    Integer n = gpus;
    if (n == null) {
      n = LogicalDevices.gpuCount();
      gpus = n;
    }
    return n;
  }

  @Override
  public boolean hasKernel(String op, String device) {
    return !device.startsWith("gpu:") || !NO_CUDA_KERNEL.contains(op);
  }

  @Override
  public String describe() {
    String backend = Nd4j.getBackend().getClass().getSimpleName();
    return gpus() == 0
        ? "ND4J's "
            + backend
            + " (no GPUs: the CUDA backend comes with bin/anygraph --backend cuda)"
        : "ND4J's " + backend + " (" + gpus() + " CUDA device" + (gpus() == 1 ? "" : "s") + ")";
  }
}
