package io.anygraph.partition.common;

import java.util.ArrayList;
import java.util.List;

/**
 * The devices a runner offers and which ops each can run: what placement chooses from. Devices are
 * named {@code cpu:N} and {@code gpu:N}; the first is the default.
 *
 * @param devices available devices, the default first
 * @param replicas what takes one shard each in a data-parallel step: devices of this cluster, or
 *     (for a Spark runner) a description of its tasks
 * @param kernels whether a device has a kernel for an op
 */
public record Cluster(List<String> devices, List<String> replicas, KernelSupport kernels) {
  /** Kernel availability, as the runner knows it. */
  @FunctionalInterface
  public interface KernelSupport {
    boolean has(String op, String device);
  }

  public Cluster {
    devices = List.copyOf(devices);
    replicas = List.copyOf(replicas);
    if (devices.isEmpty() || replicas.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one device and one replica");
    }
  }

  /** Devices whose GPUs (else CPUs) take one shard each. */
  public Cluster(List<String> devices, KernelSupport kernels) {
    this(devices, computeReplicas(devices), kernels);
  }

  /** The same devices, with other replicas (e.g. the tasks of a Spark job). */
  public Cluster withReplicas(List<String> replicas) {
    return new Cluster(devices, replicas, kernels);
  }

  /** {@code n} logical CPU devices with every kernel. */
  public static Cluster cpus(int n) {
    return of(0, n, (op, d) -> true);
  }

  /** {@code gpus} GPUs (the default when present) and {@code cpus} logical CPUs. */
  public static Cluster of(int gpus, int cpus, KernelSupport kernels) {
    List<String> d = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      d.add("gpu:" + i);
    }
    for (int i = 0; i < cpus; i++) {
      d.add("cpu:" + i);
    }
    return new Cluster(d, kernels);
  }

  public String defaultDevice() {
    return devices.get(0);
  }

  public boolean has(String device) {
    return devices.contains(device);
  }

  /** The devices that take one shard each in a data-parallel step: the GPUs, else the CPUs. */
  private static List<String> computeReplicas(List<String> devices) {
    List<String> gpus = devices.stream().filter(d -> d.startsWith("gpu:")).toList();
    return gpus.isEmpty() ? devices : gpus;
  }

  /** Where an op falls back when its device is missing or lacks its kernel. */
  public String fallbackCpu() {
    return devices.stream().filter(d -> d.startsWith("cpu:")).findFirst().orElse(defaultDevice());
  }
}
