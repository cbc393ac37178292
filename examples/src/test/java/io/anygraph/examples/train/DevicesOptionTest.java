package io.anygraph.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.examples.cli.CommandRun;
import io.anygraph.examples.mnist.MnistExample;
import org.junit.jupiter.api.Test;

/**
 * {@code --devices} by name ({@code gpu:0}, {@code gpu:0,gpu:1}) where ND4J's backend is the CPU
 * one (this build): one line naming the device, what there is and how to get a GPU, before anything
 * runs; names that are no devices are usage errors.
 */
class DevicesOptionTest {
  private static final String CPU_ONLY =
      "is not available: ND4J's CpuBackend (no GPUs: the CUDA backend comes with bin/anygraph"
          + " --backend cuda) offers CPU devices only (cpu:0, cpu:1, ...)";

  @Test
  void aGpuOnACpuOnlyBuildIsRefusedInOneLine() {
    CommandRun r = CommandRun.of("mnist", "--devices", "gpu:0", "--steps", "1", "--epochs", "1");
    assertEquals(
        new CommandRun(1, "", "anygraph mnist: --devices: device gpu:0 " + CPU_ONLY + "\n"), r);
  }

  @Test
  void twoGpusForDataParallelismAreRefusedAtTheFirst() {
    CommandRun r = CommandRun.of("mnist", "--devices", "gpu:0,gpu:1", "--steps", "1");
    assertEquals(
        new CommandRun(1, "", "anygraph mnist: --devices: device gpu:0 " + CPU_ONLY + "\n"), r);
  }

  @Test
  void aNameThatIsNoDeviceIsAUsageError() {
    CommandRun r = CommandRun.of("mnist", "--devices", "gpu:0,gpu0");
    assertEquals(
        new CommandRun(
            2,
            "",
            "anygraph mnist: --devices: needs a whole number of at least 1 or a list of devices like"
                + " gpu:0,gpu:1, not 'gpu:0,gpu0' (a local device is named cpu:N or gpu:N, not"
                + " 'gpu0')\n"),
        r);
  }

  @Test
  void namedCpusAreAcceptedAndDescribed() {
    TrainOptions o = MnistExample.options("--devices", "cpu:0,cpu:1");
    assertEquals(2, o.devices());
    assertEquals("local, cpu:0, cpu:1", o.localRunner());
  }
}
