package io.anygraph.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package cycles in the main code of any module, read from the sources' imports (this module
 * sits beside all the others). One cycle is by design and pinned here: core's user API ({@code
 * Graph}, {@code Tensor}) and its op registry, autodiff, schedule and file formats call each other
 * (a graph infers types through the registry; op definitions build tensors). Any other cycle, or a
 * larger core cycle, fails with the packages and the imports that close it.
 */
class PackageCyclesTest {
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?(io\\.anygraph[\\w.]*?)\\.[A-Z]\\w*", Pattern.MULTILINE);
  private static final Set<String> CORE_BY_DESIGN =
      Set.of(
          "io.anygraph.core",
          "io.anygraph.core.autodiff",
          "io.anygraph.core.exec",
          "io.anygraph.core.io",
          "io.anygraph.core.ops");

  @Test
  void packagesFormNoCyclesBeyondCoresOwn() throws IOException {
    Map<String, Map<String, String>> deps = importsByPackage(Path.of("..").toRealPath());
    assertFalse(deps.isEmpty(), "no sources found beside " + Path.of("").toAbsolutePath());
    List<Set<String>> cycles = new ArrayList<>();
    for (Set<String> scc : stronglyConnected(deps)) {
      if (scc.size() > 1 && !scc.equals(CORE_BY_DESIGN)) {
        cycles.add(scc);
      }
    }
    StringBuilder why = new StringBuilder();
    for (Set<String> scc : cycles) {
      why.append("\ncycle among ").append(scc).append(':');
      for (String a : scc) {
        deps.getOrDefault(a, Map.of())
            .forEach(
                (b, where) -> {
                  if (scc.contains(b)) {
                    why.append("\n  ")
                        .append(a)
                        .append(" -> ")
                        .append(b)
                        .append(" (")
                        .append(where)
                        .append(')');
                  }
                });
      }
    }
    assertEquals(List.of(), cycles, why.toString());
  }

  /** For each package, the packages it imports, each with one file that does. */
  private static Map<String, Map<String, String>> importsByPackage(Path root) throws IOException {
    Map<String, Map<String, String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root, 12)) {
      files
          .filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .forEach(
              p -> {
                String src = read(p);
                Matcher pkg = PACKAGE.matcher(src);
                if (!pkg.find()) {
                  return;
                }
                Map<String, String> to = deps.computeIfAbsent(pkg.group(1), k -> new TreeMap<>());
                Matcher imp = IMPORT.matcher(src);
                while (imp.find()) {
                  if (!imp.group(1).equals(pkg.group(1))) {
                    to.putIfAbsent(imp.group(1), p.getFileName().toString());
                  }
                }
              });
    }
    return deps;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tarjan's strongly connected components of the import graph. */
  private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> deps) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    for (String v : deps.keySet()) {
      if (!index.containsKey(v)) {
        visit(v, deps, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void visit(
      String v,
      Map<String, Map<String, String>> deps,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : deps.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        visit(w, deps, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> scc = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        scc.add(w);
      } while (!w.equals(v));
      out.add(scc);
    }
  }
}
