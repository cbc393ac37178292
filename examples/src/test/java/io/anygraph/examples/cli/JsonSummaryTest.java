package io.anygraph.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary lands whole, with the permissions of any file the user creates there. */
class JsonSummaryTest {
  @Test
  void writesTheFieldsWithOrdinaryPermissionsAndLeavesNoTemporaryFile(@TempDir Path dir)
      throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("accuracy", 0.5);
    fields.put("master", "local[2]");
    Path out = dir.resolve("out.json");
    JsonSummary.write(out, fields);
    String text = Files.readString(out);
    assertTrue(
        text.contains("\"accuracy\" : 0.5") && text.contains("\"master\" : \"local[2]\""), text);
    Path plain = Files.createFile(dir.resolve("plain.txt")); // what the umask gives a new file
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "a temporary file was left behind");
    }
  }
}
