package io.anygraph.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/** One line about where the figures were measured. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException e) {
      // not Linux: keep "unknown CPU"
    }
    return String.format("machine: %s, %d cores; ND4J %s backend, OPENBLAS_CORETYPE=%s",
        cpu, Runtime.getRuntime().availableProcessors(),
        Nd4j.getBackend().getClass().getSimpleName(), System.getenv("OPENBLAS_CORETYPE"));
  }
}
