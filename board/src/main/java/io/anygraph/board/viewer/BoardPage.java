package io.anygraph.board.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.board.events.Logdir;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The viewer's page: one HTML file with its style and scripts inline (no network needed). Served,
 * it fetches the logdir's runs from the server; written for offline viewing, it carries them.
 */
public final class BoardPage {
  private static final String[] SCRIPTS = {
    "hierarchy.js", "layout.js", "render.js", "charts.js", "board.js"
  };

  private BoardPage() {}

  /** The page that asks the server for its data. */
  static String served() {
    return page(null);
  }

  /** A self-contained page holding every run of the logdir. */
  static String offline(Logdir logdir) throws IOException {
    ObjectNode data = BoardJson.runs(logdir);
    ObjectNode runs = data.putObject("data");
    for (JsonNode name : data.get("runs")) {
      runs.set(name.asText(), BoardJson.run(logdir.read(name.asText())));
    }
    return page(data);
  }

  /**
   * Writes the offline page to a local file, through a temporary file renamed into place, so a
   * reader never sees half a page.
   */
  public static void write(Logdir logdir, Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, offline(logdir), StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String page(JsonNode data) {
    StringBuilder scripts = new StringBuilder();
    for (String s : SCRIPTS) {
      scripts.append("// ---- ").append(s).append('\n').append(resource(s)).append('\n');
    }
    // "<" escaped inside JSON strings, so no value can close the script element
    String json = data == null ? "null" : data.toString().replace("<", "\\u003c");
    // filled in document order, each marker once, so inserted text is never searched again
    String html = fill(resource("board.html"), "/*STYLE*/", resource("board.css"));
    html = fill(html, "/*SCRIPTS*/", scripts.toString());
    return fill(html, "/*DATA*/", json);
  }

  private static String fill(String template, String marker, String value) {
    int at = template.indexOf(marker);
    if (at < 0) {
      throw new IllegalStateException("board.html lacks " + marker);
    }
    return template.substring(0, at) + value + template.substring(at + marker.length());
  }

  private static String resource(String name) {
    try (InputStream in = BoardPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the viewer's " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
