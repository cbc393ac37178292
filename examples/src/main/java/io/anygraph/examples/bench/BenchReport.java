package io.anygraph.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bench --json FILE} writes: the machine, the engines, and one entry per section with
 * each engine's figure and Anygraph's ratio to it. The printed report says the same.
 */
final class BenchReport {
  private final Map<String, Object> root = new LinkedHashMap<>();
  private final List<Map<String, Object>> sections = new ArrayList<>();

  BenchReport(String machine, Map<String, String> engines) {
    root.put("command", "bench");
    root.put("machine", machine);
    root.put("engines", engines);
    root.put("sections", sections);
  }

  /** A new section; the caller fills it with {@link #engine} and {@link #put}. */
  Map<String, Object> section(String key, String title) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("section", key);
    s.put("title", title);
    s.put("engines", new LinkedHashMap<String, Object>());
    s.put("anygraph_over", new LinkedHashMap<String, Object>());
    sections.add(s);
    return s;
  }

  /** One engine's figure in a section: median, min and max of the windows, in {@code unit}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> engine(
      Map<String, Object> section, String name, String unit, Harness.Figure f) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("unit", unit);
    e.put("median", f.median());
    e.put("min", f.min());
    e.put("max", f.max());
    ((Map<String, Object>) section.get("engines")).put(name, e);
    return e;
  }

  /** Anygraph's figure over another engine's (higher is better for Anygraph when a rate). */
  @SuppressWarnings("unchecked")
  static void ratio(Map<String, Object> section, String engine, double ratio) {
    ((Map<String, Object>) section.get("anygraph_over")).put(engine, ratio);
  }

  /** Writes the report through a temporary file, so a failed write leaves no half file. */
  void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
