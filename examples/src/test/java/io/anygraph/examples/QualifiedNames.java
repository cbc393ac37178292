package io.anygraph.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds inline fully-qualified type names ({@code java.util.Arrays.toString(x)}) in Java source
 * code: outside {@code package} and {@code import} lines, comments (javadoc included) and string,
 * character and text-block literals. A qualified name is one or more lower-case package segments
 * starting at a well-known root package, then a capitalised type name.
 */
final class QualifiedNames {
  /** One inline qualified name: its 1-based line and the name up to the type. */
  record Found(int line, String name) {}

  // Root packages of everything this project uses (JDK, Jackson, Hadoop, Spark, ND4J, JUnit,
  // Scala, Anygraph); a variable chain like `a.b.C` starts with none of them.
  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w$.])((?:java|javax|jdk|sun|com|org|io|net|scala)(?:\\.[a-z_][\\w]*)*)"
              + "\\.([A-Z][\\w$]*)");
  private static final Pattern PACKAGE_OR_IMPORT = Pattern.compile("^\\s*(package|import)\\s");

  private QualifiedNames() {}

  /** The inline qualified type names in {@code source}, in order. */
  static List<Found> in(String source) {
    String[] lines = codeOnly(source).split("\n", -1);
    List<Found> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (PACKAGE_OR_IMPORT.matcher(lines[i]).find()) {
        continue;
      }
      Matcher m = QUALIFIED.matcher(lines[i]);
      while (m.find()) {
        out.add(new Found(i + 1, m.group(1) + "." + m.group(2)));
      }
    }
    return out;
  }

  /**
   * {@code source} with every comment and literal replaced by spaces, line breaks kept (so line
   * numbers stay right).
   */
  static String codeOnly(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        i = blank(source, i, source.indexOf('\n', i), 0, out);
      } else if (source.startsWith("/*", i)) {
        i = blank(source, i, source.indexOf("*/", i + 2), 2, out);
      } else if (source.startsWith("\"\"\"", i)) {
        i = blank(source, i, literalEnd(source, i + 3, "\"\"\""), 3, out);
      } else if (c == '"' || c == '\'') {
        i = blank(source, i, literalEnd(source, i + 1, String.valueOf(c)), 1, out);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Where the literal whose body starts at {@code from} closes with {@code quote}, or -1. */
  private static int literalEnd(String s, int from, String quote) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == '\\') {
        i++;
      } else if (s.startsWith(quote, i)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Appends spaces for {@code s[from, end + closer)} (to the end of {@code s} if {@code end} is
   * -1), keeping line breaks; returns the index after it.
   */
  private static int blank(String s, int from, int end, int closer, StringBuilder out) {
    int to = end < 0 ? s.length() : end + closer;
    for (int i = from; i < to; i++) {
      out.append(s.charAt(i) == '\n' ? '\n' : ' ');
    }
    return to;
  }
}
