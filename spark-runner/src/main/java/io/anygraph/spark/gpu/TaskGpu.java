package io.anygraph.spark.gpu;

import io.anygraph.core.AnygraphException;
import io.anygraph.local.plan.LogicalDevices;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binds a Spark task's thread to the GPU Spark assigned it. Spark names GPUs by the addresses its
 * discovery script printed (nvidia-smi's indices, e.g. {@code "0"}, {@code "1"}); CUDA numbers the
 * devices a process sees from 0, and where {@code CUDA_VISIBLE_DEVICES} hides some (a container
 * given GPUs 2 and 3 sees them as 0 and 1), an address is found in that list instead.
 *
 * <pre>{@code
 * TaskGpu.bindCurrentTask(); // first thing in a task that runs ND4J work
 * }</pre>
 */
public final class TaskGpu {
  private TaskGpu() {}

  /**
   * The CUDA device a task's GPU addresses name: its first address (a task that asked for several
   * GPUs runs its shard on one), or empty when Spark assigned it none.
   *
   * @param addresses the task's {@code gpu} resource addresses, in Spark's order
   * @param visible {@code CUDA_VISIBLE_DEVICES} of the executor, or null when unset
   * @param devices how many CUDA devices the executor's ND4J sees
   * @throws AnygraphException when the address names no device this executor sees
   */
  public static OptionalInt choose(List<String> addresses, String visible, int devices) {
    if (addresses.isEmpty()) {
      return OptionalInt.empty();
    }
    String address = addresses.get(0).trim();
    int device;
    if (visible != null && !visible.isBlank()) {
      List<String> order = Arrays.stream(visible.split(",")).map(String::trim).toList();
      device = order.indexOf(address);
      if (device < 0) {
        throw new AnygraphException(
            "Spark assigned GPU '"
                + address
                + "', which is not in this executor's CUDA_VISIBLE_DEVICES="
                + visible
                + ": the discovery script must print the addresses CUDA_VISIBLE_DEVICES uses");
      }
    } else {
      try {
        device = Integer.parseInt(address);
      } catch (NumberFormatException e) {
        device = -1;
      }
    }
    if (device < 0 || device >= devices) {
      throw new AnygraphException(
          "Spark assigned GPU '"
              + address
              + "', but this executor's ND4J sees "
              + devices
              + " CUDA device"
              + (devices == 1 ? "" : "s")
              + (devices == 0 ? " (is it running nd4j-cuda, built with -Pcuda?)" : "")
              + "; GPU addresses are whole numbers, 0 to the device count - 1");
    }
    return OptionalInt.of(device);
  }

  /**
   * Binds the calling thread (a Spark task's) to the GPU Spark assigned the task, when it assigned
   * one; does nothing outside a task or where the task has no {@code gpu} resource. Spark reuses
   * task threads, so every task binds again.
   */
  public static void bindCurrentTask() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return;
    }
    Map<String, ResourceInformation> resources = task.resourcesJMap();
    ResourceInformation gpu = resources.get("gpu");
    if (gpu == null) {
      return;
    }
    choose(
            List.of(gpu.addresses()),
            System.getenv("CUDA_VISIBLE_DEVICES"),
            LogicalDevices.gpuCount())
        .ifPresent(d -> Nd4j.getAffinityManager().unsafeSetDevice(d));
  }
}
