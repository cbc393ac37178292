package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/anygraph --backend cuda} where no GPU can be used: one line saying why and what to do,
 * exit 1, before any build or JVM (so these run in the unit-test phase, on the bare checkout). The
 * GPU probe is a fake {@code nvidia-smi} ({@code ANYGRAPH_NVIDIA_SMI}), so the answers are the same
 * on machines with and without NVIDIA's driver.
 */
class LauncherBackendTest {
  @TempDir Path tmp;

  private record Ran(int exit, String output) {}

  private Ran anygraph(Map<String, String> env, String... args) throws Exception {
    Path log = tmp.resolve("launcher.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(StandaloneCluster.projectRoot().resolve("bin/anygraph").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(1, TimeUnit.MINUTES), "bin/anygraph " + String.join(" ", args));
    return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** A stand-in for nvidia-smi: prints {@code output} and exits with {@code status}. */
  private String fakeSmi(String output, int status) throws Exception {
    Path text = tmp.resolve("nvidia-smi-" + status + ".txt");
    Files.writeString(text, output + "\n");
    Path f = tmp.resolve("nvidia-smi-" + status);
    Files.writeString(f, "#!/bin/sh\ncat '" + text + "'\nexit " + status + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
    return f.toString();
  }

  private static String refusal(String reason) {
    return "anygraph: --backend cuda: no CUDA device or driver found ("
        + reason
        + "); use --backend cpu or install the NVIDIA driver\n";
  }

  @Test
  void withoutNvidiaSmiTheRefusalIsOneLine() throws Exception {
    Ran r =
        anygraph(
            Map.of("ANYGRAPH_NVIDIA_SMI", tmp.resolve("absent").toString()),
            "--backend",
            "cuda",
            "mnist");
    assertEquals(new Ran(1, refusal("nvidia-smi: not found")), r);
  }

  @Test
  void aDriverThatCannotBeReachedIsNamed() throws Exception {
    String smi =
        fakeSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", 9);
    Ran r = anygraph(Map.of("ANYGRAPH_NVIDIA_SMI", smi), "--backend=cuda", "mnist");
    assertEquals(
        new Ran(
            1,
            refusal(
                "nvidia-smi: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA"
                    + " driver.")),
        r);
  }

  @Test
  void theEnvironmentVariableAsksTheSame() throws Exception {
    String smi = fakeSmi("No devices were found", 0);
    Ran r = anygraph(Map.of("ANYGRAPH_NVIDIA_SMI", smi, "ANYGRAPH_BACKEND", "cuda"), "mnist");
    assertEquals(new Ran(1, refusal("nvidia-smi lists no GPU")), r);
  }

  @Test
  void anUnknownBackendIsAUsageError() throws Exception {
    Ran r = anygraph(Map.of(), "--backend", "tpu", "mnist");
    assertEquals(new Ran(2, "anygraph: --backend: cpu or cuda, not 'tpu'\n"), r);
  }
}
