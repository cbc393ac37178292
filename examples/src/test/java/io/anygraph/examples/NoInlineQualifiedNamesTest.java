package io.anygraph.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.examples.QualifiedNames.Found;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * House style: types are imported, never written out fully qualified inside code, in every module's
 * main and test sources (read from the sources; this module sits beside all the others). Javadoc
 * references and string literals are not code. Where two types of one simple name meet in a file,
 * one may stay qualified: {@link #ALLOWED} names it, with the reason.
 */
class NoInlineQualifiedNamesTest {
  /** "module-relative file|qualified name" -> why it cannot be imported. */
  static final Map<String, String> ALLOWED =
      Map.of(
          "examples/src/main/java/io/anygraph/examples/score/DigitFrames.java"
              + "|org.apache.spark.sql.Dataset",
          "Spark's Dataset beside Anygraph's data.Dataset in one signature",
          "examples/src/test/java/io/anygraph/examples/mnist/SparkMnistTrainingTest.java"
              + "|org.apache.hadoop.fs.Path",
          "HDFS paths beside java.nio.file.Path for the local files copied in",
          "data/src/test/java/io/anygraph/data/MnistTest.java" + "|org.apache.hadoop.fs.Path",
          "HDFS paths beside java.nio.file.Path for the local files copied in",
          "spark-runner/src/test/java/io/anygraph/spark/data/HdfsExamplesTest.java"
              + "|org.apache.hadoop.fs.Path",
          "an HDFS path beside java.nio.file.Path for the local temporary folder");

  @Test
  void noInlineQualifiedTypeNamesInAnyModule() throws IOException {
    Path root = Path.of("..").toRealPath();
    List<Path> sources = javaSources(root);
    assertTrue(sources.size() > 100, "too few sources found under " + root + ": " + sources.size());
    List<String> offences = new ArrayList<>();
    Set<String> allowedSeen = new TreeSet<>();
    for (Path file : sources) {
      String rel = root.relativize(file).toString();
      for (Found f : QualifiedNames.in(read(file))) {
        if (ALLOWED.containsKey(rel + "|" + f.name())) {
          allowedSeen.add(rel + "|" + f.name());
        } else {
          offences.add(rel + ":" + f.line() + ": " + f.name());
        }
      }
    }
    assertTrue(
        offences.isEmpty(),
        "inline fully-qualified type names (import them; ALLOWED is for the rare clash of two"
            + " simple names):\n"
            + String.join("\n", offences));
    assertEquals(
        new TreeSet<>(ALLOWED.keySet()), allowedSeen, "ALLOWED entries that no longer occur");
  }

  @Test
  void findsQualifiedNamesInCodeOnly() {
    String source =
        String.join(
            "\n",
            "package io.anygraph.x;",
            "import java.util.List;",
            "import static org.junit.jupiter.api.Assertions.assertEquals;",
            "/** See {@link java.util.Arrays#toString}. */",
            "class A {",
            "  // java.util.Map in a comment",
            "  String s = \"java.util.Set in a string \\\" io.anygraph.core.Graph\";",
            "  char q = '\"'; String t = \"\"\"",
            "      org.nd4j.linalg.factory.Nd4j in a text block\"\"\";",
            "  int[] v = java.util.stream.IntStream.range(0, 3).toArray(); /* org.x.Y */",
            "  Object o = new io.anygraph.core.Graph();",
            "  int n = this.rows.MAX + java.util.List.of().size();",
            "  @java.lang.Deprecated void f() throws java.io.IOException {}",
            "}");
    assertEquals(
        List.of(
            new Found(10, "java.util.stream.IntStream"),
            new Found(11, "io.anygraph.core.Graph"),
            new Found(12, "java.util.List"),
            new Found(13, "java.lang.Deprecated"),
            new Found(13, "java.io.IOException")),
        QualifiedNames.in(source));
  }

  /** Every .java file under some module's src/main/java or src/test/java. */
  private static List<Path> javaSources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root, 16)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(
              p ->
                  p.toString().contains("/src/main/java/")
                      || p.toString().contains("/src/test/java/"))
          .filter(p -> !root.relativize(p).toString().contains("/target/"))
          .sorted()
          .toList();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
