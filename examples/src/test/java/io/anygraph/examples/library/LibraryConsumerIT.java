package io.anygraph.examples.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.spark.SparkSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anygraph used as a library from someone else's Maven project (src/test/resources/
 * library-consumer): it imports anygraph-bom, depends on anygraph-spark-runner, and scores a
 * DataFrame on its own plain SparkSession, then saves and loads the graph in a PipelineModel. Built
 * offline against a temporary repository holding this build's artifacts; run with {@link
 * SparkSetup#javaOptions()} as its JVM flags.
 */
class LibraryConsumerIT {
  /** Libraries whose versions Spark and ND4J must agree on: the consumer must get the project's. */
  private static final List<String> PINNED =
      List.of(
          "slf4j-api",
          "guava",
          "snappy-java",
          "jackson-databind",
          "jackson-core",
          "spark-core_2.13",
          "spark-mllib_2.13",
          "nd4j-native",
          "log4j-core",
          "log4j-slf4j2-impl",
          "commons-lang3",
          "protobuf-java");

  private static final Pattern JAR = Pattern.compile("/([^/]+)/([^/]+)/\\1-\\2(-[^/]+)?\\.jar$");

  @TempDir Path tmp;

  @Test
  void aSeparateProjectBuildsAgainstTheBomAndScoresOnItsOwnSession() throws Exception {
    ConsumerBuild build = new ConsumerBuild(tmp);
    build.installArtifacts();
    build.writeProject();
    String[] goals = {"compile", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt"};
    // first fills the temporary repository from the file:// mirror of ~/.m2 (-nsu: the SNAPSHOTs
    // installed there are this build's), then builds again offline
    ConsumerBuild.Run fill = build.mvn(concat(new String[] {"-nsu"}, goals));
    assertEquals(0, fill.exitCode(), fill.output());
    ConsumerBuild.Run offline = build.mvn(concat(new String[] {"-o"}, goals));
    assertEquals(0, offline.exitCode(), offline.output());

    List<String> classpath =
        List.of(Files.readString(build.project.resolve("classpath.txt")).trim().split(":"));
    for (String module : ConsumerBuild.LIBRARY_MODULES) {
      String jar = build.repository.resolve("io/anygraph/anygraph-" + module).toString();
      assertTrue(
          classpath.stream().anyMatch(e -> e.startsWith(jar)),
          "anygraph-" + module + " from the temporary repository");
    }
    Map<String, String> theirs = versions(classpath);
    // the examples' class path: its own jars, then Spark's (provided)
    Map<String, String> ours =
        versions(
            List.of(
                (Files.readString(Path.of("target/classpath.txt")).trim()
                        + ":"
                        + Files.readString(Path.of("target/spark-classpath.txt")).trim())
                    .split(":")));
    for (String artifact : PINNED) {
      assertTrue(
          theirs.containsKey(artifact), artifact + " on the consumer's classpath: " + theirs);
    }
    List<String> differ = new ArrayList<>();
    theirs.forEach(
        (artifact, v) -> {
          if (ours.containsKey(artifact) && !ours.get(artifact).equals(v)) {
            differ.add(artifact + " " + v + " (the project has " + ours.get(artifact) + ")");
          }
        });
    assertEquals(List.of(), differ, "the BOM must give the consumer the project's versions");
    assertNoLoggingConfiguration(classpath);

    List<String> java =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    java.addAll(SparkSetup.javaOptions());
    java.addAll(
        List.of(
            "-cp",
            "target/classes:" + String.join(":", classpath),
            "com.example.ScoreWithAnygraph",
            tmp.resolve("pipeline").toString()));
    ConsumerBuild.Run run = build.run(java);
    Files.writeString(Path.of("target/library-consumer-run.log"), run.output()); // kept for reading
    assertEquals(0, run.exitCode(), run.output());
    // row i is x = (i, -3): (2 i + 1) + (2 (-3) + 1) = 2 i - 4, by hand
    for (int i = 0; i < 5; i++) {
      assertTrue(
          run.output().contains("scored " + i + " " + (float) (2 * i - 4) + "\n"),
          "row " + i + ":\n" + run.output());
      assertTrue(
          run.output().contains("loaded " + i + " " + (float) (2 * i - 4) + "\n"),
          "row " + i + ":\n" + run.output());
    }
    // logging works (SLF4J found Log4j, not its no-op fallback) with the program's own setup
    assertTrue(
        run.output().contains("slf4j org.apache.logging.slf4j.Log4jLoggerFactory"), run.output());
    for (String line : run.output().split("\n")) {
      assertFalse(
          line.matches(".*\\bINFO\\b.*"),
          "an INFO line although the program logs warnings only: " + line);
      if (line.matches(".*\\b(WARN|ERROR)\\b.*") && !line.startsWith("\tat ")) {
        assertTrue(
            line.startsWith("consumer-log "),
            "a log line not in the program's own format: " + line);
      }
    }
  }

  /** No Anygraph library jar ships a Log4j configuration, which would replace the user's. */
  private static void assertNoLoggingConfiguration(List<String> classpath) throws Exception {
    for (String entry : classpath) {
      if (!Path.of(entry).getFileName().toString().startsWith("anygraph-")) {
        continue;
      }
      try (ZipFile jar = new ZipFile(entry)) {
        List<String> configs =
            jar.stream()
                .map(e -> e.getName())
                .filter(n -> n.matches("log4j2?(-test)?\\.(properties|xml|json|yaml|yml)"))
                .toList();
        assertEquals(List.of(), configs, entry);
      }
    }
    for (String module : ConsumerBuild.LIBRARY_MODULES) {
      try (Stream<Path> files =
          Files.walk(ConsumerBuild.ROOT.resolve(module).resolve("src/main"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String code = Files.readString(f);
          assertFalse(
              code.contains("org.apache.logging.log4j") || code.contains("setLogLevel("),
              f + " changes Log4j's setup, which belongs to the program");
        }
      }
    }
  }

  /** artifactId -> version of the jars on a classpath (those in a Maven repository layout). */
  private static Map<String, String> versions(List<String> classpath) {
    Map<String, String> out = new TreeMap<>();
    for (String entry : classpath) {
      Matcher m = JAR.matcher(entry);
      if (m.find()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
