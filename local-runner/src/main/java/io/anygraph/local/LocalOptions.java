package io.anygraph.local;

import io.anygraph.core.AnygraphException;
import io.anygraph.partition.common.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which devices a {@link LocalRunner} offers. Logical CPU devices ({@code cpu:0}, {@code cpu:1},
 * ...) are threads of this JVM, so multi-device plans run and are tested on any machine; {@code
 * gpu:N} are the GPUs of the {@link DeviceCatalog} (ND4J's CUDA devices with {@code -Pcuda}).
 *
 * <pre>{@code
 * new LocalRunner(g, LocalOptions.cpus(2));                 // data parallel over two CPU threads
 * new LocalRunner(g, LocalOptions.devices("gpu:0", "gpu:1")); // ... over two GPUs
 * }</pre>
 *
 * @param cpus logical CPU devices (at least 1); with more than one and no GPU, placeholders created
 *     under {@code g.sharded()} are split across them (data parallelism)
 * @param devices the devices asked for by name, or empty for every GPU of the catalog followed by
 *     {@code cpus} CPUs; a list without a CPU gets {@code cpu:0}, where soft placement puts ops
 *     that lack a GPU kernel
 * @param catalog where the GPUs come from
 */
public record LocalOptions(int cpus, List<String> devices, DeviceCatalog catalog) {
  private static final Pattern DEVICE = Pattern.compile("(cpu|gpu):(0|[1-9][0-9]{0,3})");

  public LocalOptions {
    if (cpus < 1) {
      throw new IllegalArgumentException(
          "a local runner needs at least one CPU device, not " + cpus);
    }
    devices = List.copyOf(devices);
    for (String d : devices) {
      if (!DEVICE.matcher(d).matches()) {
        throw new IllegalArgumentException(
            "a local device is named cpu:N or gpu:N, not '" + d + "'");
      }
    }
    if (devices.stream().distinct().count() < devices.size()) {
      throw new IllegalArgumentException("a device is listed twice in " + devices);
    }
  }

  /** One CPU device, as TensorFlow's default session has (and every GPU ND4J sees). */
  public static LocalOptions defaults() {
    return cpus(1);
  }

  /** {@code n} logical CPU devices (and every GPU ND4J sees, which come first). */
  public static LocalOptions cpus(int n) {
    return new LocalOptions(n, List.of(), DeviceCatalog.nd4j());
  }

  /** Exactly these devices ({@code gpu:0}, {@code cpu:1}, ...), the first the default. */
  public static LocalOptions devices(String... names) {
    return devices(List.of(names));
  }

  /** As {@link #devices(String...)}. */
  public static LocalOptions devices(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a local runner needs at least one device");
    }
    return new LocalOptions(1, names, DeviceCatalog.nd4j());
  }

  /** The same options with GPUs from {@code c} (a fake list in tests). */
  public LocalOptions withCatalog(DeviceCatalog c) {
    return new LocalOptions(cpus, devices, c);
  }

  /**
   * The cluster placement chooses from, given which ops the runner has kernels for.
   *
   * @throws AnygraphException naming the device and the devices there are, when a device asked for
   *     by name does not exist here
   */
  public Cluster cluster(Cluster.KernelSupport kernels) {
    Cluster.KernelSupport support =
        (op, device) -> kernels.has(op, device) && catalog.hasKernel(op, device);
    int gpus = catalog.gpus();
    if (devices.isEmpty()) {
      return Cluster.of(gpus, cpus, support);
    }
    for (String d : devices) {
      if (d.startsWith("gpu:") && Integer.parseInt(d.substring(4)) >= gpus) {
        throw new AnygraphException(
            "device "
                + d
                + " is not available: "
                + catalog.describe()
                + " offers "
                + available(gpus));
      }
    }
    List<String> named = new ArrayList<>(devices);
    if (named.stream().noneMatch(d -> d.startsWith("cpu:"))) {
      named.add("cpu:0");
    }
    return new Cluster(named, support);
  }

  private static String available(int gpus) {
    if (gpus == 0) {
      return "CPU devices only (cpu:0, cpu:1, ...)";
    }
    return "gpu:0" + (gpus > 1 ? "..gpu:" + (gpus - 1) : "") + " and CPU devices (cpu:N)";
  }
}
