package io.anygraph.core;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The names a graph has handed out, and TensorFlow's rules for them: a valid name uses letters,
 * digits, '.', '_', '-' and '/'; the first use of a name keeps it, later ones get _1, _2, ...
 */
final class NameTable {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-/]*");

  private final Map<String, Integer> inUse = new HashMap<>();

  static void check(String name, String what) {
    if (!VALID.matcher(name).matches()) {
      throw new AnygraphException(
          "Invalid "
              + what
              + " '"
              + name
              + "': use letters, digits, '.', '_', '-' and '/', starting with a letter or digit");
    }
  }

  /** {@code name}, or the first free {@code name_k}; {@code taken} says which names nodes hold. */
  String unique(String name, Predicate<String> taken) {
    int i = inUse.getOrDefault(name, 0);
    inUse.put(name, i + 1);
    if (i == 0 && !taken.test(name)) {
      return name;
    }
    int k = Math.max(i, 1);
    String candidate = name + "_" + k;
    while (inUse.containsKey(candidate) || taken.test(candidate)) {
      k++;
      candidate = name + "_" + k;
    }
    inUse.put(candidate, 1);
    return candidate;
  }

  /** Records a name given exactly (a node read from a file or copied by a rewrite). */
  void claim(String name) {
    inUse.merge(name, 1, Integer::sum);
  }
}
