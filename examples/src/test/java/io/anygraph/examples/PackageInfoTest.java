package io.anygraph.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of every module's main code has a package-info.java that says what lives there and,
 * in a paragraph starting {@code Must not:}, what must not (read from the sources; this module sits
 * beside all the others).
 */
class PackageInfoTest {
  @Test
  void everyMainPackageSaysWhatLivesThereAndWhatMustNot() throws IOException {
    Path root = Path.of("..").toRealPath();
    Set<Path> packages = mainPackages(root);
    assertTrue(packages.size() > 20, "too few packages found under " + root + ": " + packages);
    List<String> missing =
        packages.stream()
            .filter(p -> !Files.exists(p.resolve("package-info.java")))
            .map(p -> root.relativize(p).toString())
            .sorted()
            .toList();
    assertEquals(List.of(), missing, "packages without a package-info.java");
    List<String> vague =
        packages.stream()
            .map(p -> p.resolve("package-info.java"))
            .filter(f -> !saysWhatAndWhatNot(read(f)))
            .map(f -> root.relativize(f).toString())
            .sorted()
            .toList();
    assertEquals(List.of(), vague, "package-info.java without a description and a 'Must not:'");
  }

  /** Folders under some module's src/main/java that hold Java sources (not test resources'). */
  private static Set<Path> mainPackages(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root, 14)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/"))
          .filter(p -> !p.toString().contains("/src/test/")) // sample projects in test resources
          .map(Path::getParent)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** A Javadoc whose first paragraph describes the package and a later one says "Must not:". */
  private static boolean saysWhatAndWhatNot(String src) {
    int doc = src.indexOf("/**");
    int mustNot = src.indexOf("<p>Must not:");
    if (doc < 0 || mustNot < 0) {
      return false;
    }
    String description = src.substring(doc + 3, mustNot).replaceAll("[\\s*]", "");
    String rule =
        src.substring(mustNot + "<p>Must not:".length(), src.indexOf("*/", mustNot))
            .replaceAll("[\\s*]", "");
    return description.length() >= 10 && rule.length() >= 5;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
