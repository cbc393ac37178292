package io.anygraph.spark.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.AnygraphException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which CUDA device a task's Spark GPU addresses name (no GPU or Spark needed). */
class TaskGpuTest {
  @Test
  void aTaskWithoutGpusBindsNothing() {
    assertEquals(OptionalInt.empty(), TaskGpu.choose(List.of(), null, 4));
  }

  @Test
  void anAddressIsTheDeviceNumberWhenAllDevicesAreVisible() {
    assertEquals(OptionalInt.of(2), TaskGpu.choose(List.of("2"), null, 4));
    assertEquals(OptionalInt.of(0), TaskGpu.choose(List.of("0"), "", 1));
  }

  @Test
  void aTaskWithSeveralGpusRunsOnItsFirst() {
    assertEquals(OptionalInt.of(3), TaskGpu.choose(List.of("3", "1"), null, 4));
  }

  @Test
  void visibleDevicesRenumberFromZero() {
    // a container given physical GPUs 2 and 3: CUDA calls them 0 and 1
    assertEquals(OptionalInt.of(1), TaskGpu.choose(List.of("3"), "2,3", 2));
    assertEquals(OptionalInt.of(0), TaskGpu.choose(List.of("2"), " 2, 3", 2));
  }

  @Test
  void anAddressOutsideTheVisibleListIsRefusedNamingBoth() {
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> TaskGpu.choose(List.of("1"), "2,3", 2));
    assertEquals(
        "Spark assigned GPU '1', which is not in this executor's CUDA_VISIBLE_DEVICES=2,3: the"
            + " discovery script must print the addresses CUDA_VISIBLE_DEVICES uses",
        e.getMessage());
  }

  @Test
  void anAddressBeyondTheDevicesOrNotANumberIsRefused() {
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> TaskGpu.choose(List.of("4"), null, 4));
    assertEquals(
        "Spark assigned GPU '4', but this executor's ND4J sees 4 CUDA devices; GPU addresses are"
            + " whole numbers, 0 to the device count - 1",
        e.getMessage());
    AnygraphException cpu =
        assertThrows(AnygraphException.class, () -> TaskGpu.choose(List.of("0"), null, 0));
    assertEquals(
        "Spark assigned GPU '0', but this executor's ND4J sees 0 CUDA devices (is it running"
            + " nd4j-cuda, built with -Pcuda?); GPU addresses are whole numbers, 0 to the device"
            + " count - 1",
        cpu.getMessage());
    assertThrows(AnygraphException.class, () -> TaskGpu.choose(List.of("gpu0"), null, 4));
  }
}
