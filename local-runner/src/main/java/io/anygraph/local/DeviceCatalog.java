package io.anygraph.local;

import java.util.Set;

/**
 * The GPUs a {@link LocalRunner} may place work on, and which ops they have kernels for: ND4J's
 * backend in production ({@link #nd4j()}), a fixed list in tests ({@link #fake}), so placement,
 * soft placement and transfers for {@code gpu:*} devices are exercised on machines without CUDA.
 *
 * <pre>{@code
 * LocalOptions o = LocalOptions.devices("gpu:0", "cpu:0").withCatalog(DeviceCatalog.fake(1, Set.of()));
 * }</pre>
 */
public interface DeviceCatalog {
  /** How many GPUs there are: devices {@code gpu:0} .. {@code gpu:N-1}. */
  int gpus();

  /**
   * Whether {@code device} can run {@code op}, given the runner has a kernel for it: CPUs run every
   * kernel, a GPU those its backend runs.
   */
  boolean hasKernel(String op, String device);

  /** Where the devices come from, for messages: {@code ND4J's CPU backend (nd4j-native)}. */
  String describe();

  /** The devices of the ND4J backend on the class path: CUDA devices with nd4j-cuda, else none. */
  static DeviceCatalog nd4j() {
    return Nd4jDeviceCatalog.INSTANCE;
  }

  /**
   * A fixed list for tests: {@code gpus} GPUs that run every op but {@code noGpuKernel}. Work
   * placed on them runs on ND4J's loaded backend (threads named after the GPUs): a fake GPU tests
   * the plan, not a device.
   */
  static DeviceCatalog fake(int gpus, Set<String> noGpuKernel) {
    if (gpus < 0) {
      throw new IllegalArgumentException("a fake device catalog needs 0 or more GPUs, not " + gpus);
    }
    Set<String> missing = Set.copyOf(noGpuKernel);
    return new DeviceCatalog() {
      @Override
      public int gpus() {
        return gpus;
      }

      @Override
      public boolean hasKernel(String op, String device) {
        return !device.startsWith("gpu:") || !missing.contains(op);
      }

      @Override
      public String describe() {
        return "a fake device list (" + gpus + " GPU" + (gpus == 1 ? "" : "s") + ")";
      }
    };
  }
}
