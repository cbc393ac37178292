package io.anygraph.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;

/** A command's result summary as JSON, written to a temporary file and renamed into place. */
public final class JsonSummary {
  private JsonSummary() {}

  /** Writes {@code fields} (in their order) to {@code file}; it is never seen half-written. */
  public static void write(Path file, Map<String, Object> fields) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    // not Files.createTempFile: its owner-only permissions would stay on the renamed result
    Path tmp =
        absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, fields);
      }
      Files.move(
          tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp); // gone after the move; left only by a failed write
    }
  }
}
