package io.anygraph.examples.bench;

import io.anygraph.local.kernels.NativeBuild;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.factory.Nd4j;

/** One line about where the figures were measured, and which ND4J kernels ran. */
final class Machine {
  /** nd4j-native-VERSION-CLASSIFIER.jar on the classpath, e.g. 1.0.0-M2.1 and linux-x86_64. */
  private static final Pattern ND4J_NATIVE_JAR =
      Pattern.compile("nd4j-native-(\\d[^/:]*?)-((?:linux|macosx|windows)[^/:]*)\\.jar");

  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (IOException e) {
      // not Linux: keep "unknown CPU"
    }
    return String.format(
        "machine: %s, %d cores; %s, OPENBLAS_CORETYPE=%s, OMP_WAIT_POLICY=%s, GOMP_SPINCOUNT=%s,"
            + " %s%n%s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        nd4j(),
        System.getenv("OPENBLAS_CORETYPE"),
        System.getenv("OMP_WAIT_POLICY"),
        System.getenv("GOMP_SPINCOUNT"),
        nativeHeapTrim(),
        NativeBuild.describe());
  }

  /** Whether this JVM trims glibc's native heap periodically (bin/anygraph asks where it can). */
  static String nativeHeapTrim() {
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-XX:TrimNativeHeapInterval=")) {
        return "native heap trimmed every " + a.substring(a.indexOf('=') + 1) + " ms";
      }
    }
    return "native heap not trimmed";
  }

  /** ND4J's backend and the native classifier jar it loaded (e.g. linux-x86_64 or -avx2). */
  static String nd4j() {
    Matcher m = ND4J_NATIVE_JAR.matcher(System.getProperty("java.class.path", ""));
    String jar = m.find() ? "nd4j-native " + m.group(1) + " " + m.group(2) : "classifier unknown";
    return "ND4J " + Nd4j.getBackend().getClass().getSimpleName() + " (" + jar + ")";
  }
}
