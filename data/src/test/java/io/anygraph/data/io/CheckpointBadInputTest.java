package io.anygraph.data.io;

import static io.anygraph.core.testing.Allocations.assertThrowsCheaply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.core.AnygraphException;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.Checksums;
import io.anygraph.core.FileFormatException;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.MemoryDirectory;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A catalogue of damaged checkpoint manifests ({@code checkpoint.json} of step 3 with variables w
 * [2,2] float32 in 0.npy and b [2] float64 in 1.npy): each must fail with a {@link
 * FileFormatException} naming the file, the field and its value.
 */
class CheckpointBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "memory:/ckpt-3/checkpoint.json";

  private static MemoryDirectory saved() throws IOException {
    Map<String, INDArray> values = new LinkedHashMap<>();
    values.put("w", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}));
    values.put("b", Nd4j.createFromArray(0.5, -0.5));
    MemoryDirectory dir = new MemoryDirectory();
    Checkpoint.save(values, dir, 3);
    return dir;
  }

  private static Directory edited(Consumer<ObjectNode> edit) throws IOException {
    MemoryDirectory dir = saved();
    Directory ckpt = dir.child("ckpt-3");
    ObjectNode root = (ObjectNode) JSON.readTree(ckpt.open("checkpoint.json"));
    edit.accept(root);
    try (OutputStream out = ckpt.create("checkpoint.json")) {
      JSON.writeValue(out, root);
    }
    return dir;
  }

  private static ObjectNode variable(ObjectNode root, int i) {
    return (ObjectNode) root.get("variables").get(i);
  }

  private static Arguments bad(String name, Consumer<ObjectNode> edit, String field, String value) {
    return Arguments.of(name, edit, field, value);
  }

  static Stream<Arguments> catalogue() {
    return Stream.of(
        bad(
            "format of another file",
            r -> r.put("format", "anygraph.graph"),
            "format",
            "\"anygraph.graph\""),
        bad("format missing", r -> r.remove("format"), "format", "(missing)"),
        bad("version a string", r -> r.put("version", "1"), "version", "\"1\""),
        bad("version from the future", r -> r.put("version", 9), "version", "9"),
        bad("step of another folder", r -> r.put("step", 4), "step", "4"),
        bad("step a fraction", r -> r.put("step", 3.5), "step", "3.5"),
        bad(
            "step beyond 64 bits",
            r -> r.put("step", new BigInteger("18446744073709551619")),
            "step",
            "18446744073709551619"),
        bad("variables not an array", r -> r.put("variables", "w"), "variables", "\"w\""),
        bad(
            "a variable not an object",
            r -> ((ArrayNode) r.get("variables")).set(0, 1),
            "variables[0]",
            "1"),
        bad("name missing", r -> variable(r, 0).remove("name"), "variables[0].name", "(missing)"),
        bad("name twice", r -> variable(r, 1).put("name", "w"), "variables[1].name", "\"w\""),
        bad(
            "file outside the folder",
            r -> variable(r, 0).put("file", "../ckpt-2/0.npy"),
            "variables[0].file",
            "\"../ckpt-2/0.npy\""),
        bad("file not a string", r -> variable(r, 0).put("file", 0), "variables[0].file", "0"),
        bad(
            "unknown dtype",
            r -> variable(r, 0).put("dtype", "float99"),
            "variables[0].dtype",
            "\"float99\""),
        bad(
            "shape with a negative dimension",
            r -> variable(r, 0).putArray("shape").add(2).add(-5),
            "variables[0].shape",
            "[2,-5]"),
        bad(
            "shape unlike the file's",
            r -> variable(r, 0).putArray("shape").add(4),
            "variables[0].shape",
            "[4]"),
        bad(
            "checksum not a string",
            r -> variable(r, 0).put("sha256", 5),
            "variables[0].sha256",
            "5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void badManifestsNameFileFieldAndValue(
      String name, Consumer<ObjectNode> edit, String field, String value) throws IOException {
    Directory dir = edited(edit);
    FileFormatException e =
        assertThrowsCheaply(FileFormatException.class, () -> Checkpoint.read(dir, 3));
    assertEquals(MANIFEST, e.file());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(MANIFEST + ": field '" + field + "' = "), e.getMessage());
    assertTrue(e.getMessage().contains(value), "expected '" + value + "' in: " + e.getMessage());
  }

  @Test
  void aValueFileLyingAboutItsSizeFailsWithoutAllocatingIt() throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }\n";
    byte[] header = dict.getBytes(StandardCharsets.US_ASCII);
    byte[] lying = new byte[10 + header.length + 10];
    System.arraycopy(
        new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, 0},
        0,
        lying,
        0,
        10);
    System.arraycopy(header, 0, lying, 10, header.length);
    Directory dir = edited(r -> variable(r, 0).put("sha256", Checksums.sha256(lying)));
    try (OutputStream out = dir.child("ckpt-3").create("0.npy")) {
      out.write(lying);
    }
    FileFormatException e =
        assertThrowsCheaply(FileFormatException.class, () -> Checkpoint.read(dir, 3));
    assertEquals("memory:/ckpt-3/0.npy", e.file());
    assertEquals("shape", e.field());
    assertTrue(e.getMessage().contains("(1048576, 1048576)"), e.getMessage());
  }

  @Test
  void aFolderWhoseStepOverflowsALongIsNotACheckpoint() throws IOException {
    MemoryDirectory dir = saved();
    dir.child("ckpt-99999999999999999999").mkdirs();
    assertEquals(List.of(3L), Checkpoint.steps(dir));
  }

  @Test
  void tamperedValuesAreStillRefusedByChecksum() throws IOException {
    MemoryDirectory dir = saved();
    try (OutputStream out = dir.child("ckpt-3").create("1.npy")) {
      out.write(new byte[] {1, 2, 3});
    }
    String m = assertThrows(AnygraphException.class, () -> Checkpoint.read(dir, 3)).getMessage();
    assertTrue(m.contains("1.npy") && m.contains("'b'") && m.contains("checksum"), m);
  }

  @Test
  void missingFilesAreOneLineNamingThePath() throws IOException {
    MemoryDirectory dir = saved();
    AnygraphException e = assertThrows(AnygraphException.class, () -> Checkpoint.read(dir, 8));
    assertEquals("memory:/ckpt-8/checkpoint.json: no such file", e.getMessage());
    assertInstanceOf(FileNotFoundException.class, e.getCause());
    dir.child("ckpt-3").delete("1.npy");
    e = assertThrows(AnygraphException.class, () -> Checkpoint.read(dir, 3));
    assertEquals("memory:/ckpt-3/1.npy: no such file", e.getMessage());
  }
}
