package io.anygraph.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the application jar for spark-submit holds, against what a cluster's SPARK_HOME/jars holds
 * (the Spark distribution's jars, {@code spark-dist/target/spark-jars.txt}): the examples, Anygraph
 * and ND4J with its linux-x86_64 oneDNN natives inside; no class that Spark's jars have too (no
 * second Kryo, Guava, Jackson, Scala or Hadoop to clash with the cluster's).
 */
class ApplicationJarIT {
  @Test
  void theApplicationJarHoldsAnygraphAndNd4jButNothingOfSparksDistribution() throws IOException {
    Path app = StandaloneCluster.applicationJar();
    Set<String> appClasses = new TreeSet<>();
    List<String> natives = new ArrayList<>();
    try (JarFile jar = new JarFile(app.toFile())) {
      assertEquals(
          "io.anygraph.examples.Main",
          jar.getManifest().getMainAttributes().getValue("Main-Class"),
          "the manifest's main class");
      for (ZipEntry e : jar.stream().toList()) {
        if (isClass(e)) {
          appClasses.add(e.getName());
        } else if (e.getName().endsWith(".so") || e.getName().contains(".so.")) {
          natives.add(e.getName());
        }
      }
      String backends =
          new String(
              jar.getInputStream(
                      jar.getEntry("META-INF/services/org.nd4j.linalg.factory.Nd4jBackend"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertTrue(backends.contains("org.nd4j.linalg.cpu.nativecpu.CpuBackend"), backends);
    }
    for (String c :
        List.of(
            "io/anygraph/examples/Main.class",
            "io/anygraph/spark/SparkSetup.class",
            "io/anygraph/local/LocalRunner.class",
            "org/nd4j/linalg/factory/Nd4j.class",
            "org/nd4j/linalg/cpu/nativecpu/CpuBackend.class",
            "org/bytedeco/javacpp/Loader.class")) {
      assertTrue(appClasses.contains(c), c + " in " + app);
    }
    for (String lib :
        List.of(
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/libnd4jcpu.so",
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/libjnind4jcpu.so",
            "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0",
            "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so")) {
      assertTrue(natives.contains(lib), lib + " in " + app + ": " + natives);
    }
    // ND4J's and JavaCPP's natives are for this one platform
    for (String lib : natives) {
      if (lib.startsWith("org/nd4j/") || lib.startsWith("org/bytedeco/")) {
        assertTrue(lib.contains("/linux-x86_64"), "a native library of another platform: " + lib);
      }
    }

    Map<String, String> sparkClasses = new HashMap<>();
    for (Path jar : sparkDistributionJars()) {
      try (JarFile j = new JarFile(jar.toFile())) {
        j.stream()
            .filter(ApplicationJarIT::isClass)
            .forEach(e -> sparkClasses.put(e.getName(), jar.getFileName().toString()));
      }
    }
    assertTrue(
        sparkClasses.containsKey("org/apache/spark/SparkContext.class"), "Spark's jars read");
    assertTrue(
        sparkClasses.containsKey("com/esotericsoftware/kryo/Kryo.class"), "Spark ships Kryo");
    assertTrue(
        sparkClasses.containsKey("com/google/common/collect/ImmutableList.class"),
        "Spark ships Guava");
    List<String> both = new ArrayList<>();
    for (String c : appClasses) {
      if (sparkClasses.containsKey(c)) {
        both.add(c + " (also in " + sparkClasses.get(c) + ")");
      }
    }
    assertEquals(
        List.of(),
        both.subList(0, Math.min(both.size(), 20)),
        both.size() + " classes of the application jar are in Spark's jars too");
    for (String prefix : List.of("org/apache/spark/", "scala/", "org/apache/hadoop/")) {
      assertFalse(appClasses.stream().anyMatch(c -> c.startsWith(prefix)), prefix + " in " + app);
    }
  }

  /** A class file outside META-INF (multi-release variants and module descriptors aside). */
  private static boolean isClass(ZipEntry e) {
    return e.getName().endsWith(".class")
        && !e.getName().startsWith("META-INF/")
        && !e.getName().endsWith("module-info.class");
  }

  /** The jars bin/anygraph-cluster links into SPARK_HOME/jars. */
  static List<Path> sparkDistributionJars() throws IOException {
    Path list = StandaloneCluster.projectRoot().resolve("spark-dist/target/spark-jars.txt");
    List<Path> jars = new ArrayList<>();
    for (String entry : Files.readString(list).trim().split(":")) {
      jars.add(Path.of(entry));
    }
    assertTrue(jars.size() > 100, "Spark's jars: " + jars.size());
    return jars;
  }
}
