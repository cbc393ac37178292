package io.anygraph.data.io;

import static io.anygraph.core.testing.Allocations.assertThrowsCheaply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.core.AnygraphException;
import io.anygraph.core.Checksums;
import io.anygraph.core.DType;
import io.anygraph.core.FileFormatException;
import io.anygraph.core.Graph;
import io.anygraph.core.GraphFile;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.MemoryDirectory;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.fs.ChecksumException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A catalogue of damaged graph files: each edits a saved graph's {@code graph.json} (or a tensor it
 * references) and must fail with a {@link FileFormatException} naming the file, the field and its
 * value; never a silent default, a raw Java exception, or a large allocation.
 */
class GraphFileBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "memory:/model/graph.json";
  private static final String TENSOR = "memory:/model/tensors/0.npy";

  @TempDir Path tmp;

  /** Nodes x, w (constant, tensors/0.npy), fill, v, v/Assign, matmul, add: indices 0 to 6. */
  private static Graph model() {
    Graph g = new Graph();
    g.setSeed(7);
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    Tensor w = g.constant(Nd4j.createFromArray(new float[] {1, 2, 3}).reshape(3, 1), "w");
    Tensor v = g.variable(g.ops().zeros(DType.FLOAT32, 1), "v"); // fill, v, v/Assign
    x.matmul(w).add(v);
    return g;
  }

  private static MemoryDirectory saved() {
    MemoryDirectory mem = new MemoryDirectory();
    try {
      GraphFile.save(model(), mem, "model");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return mem;
  }

  private static ObjectNode node(JsonNode root, int i) {
    return (ObjectNode) root.get("nodes").get(i);
  }

  private static ObjectNode attr(JsonNode root, int i, String name) {
    return (ObjectNode) node(root, i).get("attrs").get(name);
  }

  /** A graph folder whose manifest went through {@code edit}. */
  private static Directory edited(Consumer<ObjectNode> edit) throws IOException {
    MemoryDirectory mem = saved();
    Directory dir = mem.child("model");
    ObjectNode root = (ObjectNode) JSON.readTree(dir.open("graph.json"));
    edit.accept(root);
    try (OutputStream out = dir.create("graph.json")) {
      JSON.writeValue(out, root);
    }
    return dir;
  }

  private static Arguments bad(String name, Consumer<ObjectNode> edit, String field, String value) {
    return Arguments.of(name, edit, MANIFEST, field, value);
  }

  static Stream<Arguments> catalogue() {
    return Stream.of(
        bad("seed a string", r -> r.put("seed", "abc"), "seed", "\"abc\""),
        bad("seed a fraction", r -> r.put("seed", 1.5), "seed", "1.5"),
        bad(
            "seed beyond 64 bits",
            r -> r.put("seed", new BigInteger("99999999999999999999")),
            "seed",
            "99999999999999999999"),
        bad("format missing", r -> r.remove("format"), "format", "(missing)"),
        bad(
            "format of another file",
            r -> r.put("format", "anygraph.checkpoint"),
            "format",
            "\"anygraph.checkpoint\""),
        bad("version a string", r -> r.put("version", "1"), "version", "\"1\""),
        bad("version from the future", r -> r.put("version", 2), "version", "2"),
        bad("nodes not an array", r -> r.putObject("nodes"), "nodes", "{}"),
        bad("a node not an object", r -> ((ArrayNode) r.get("nodes")).set(0, 5), "nodes[0]", "5"),
        bad("node without name", r -> node(r, 0).remove("name"), "nodes[0].name", "(missing)"),
        bad("op not a string", r -> node(r, 0).put("op", 3), "nodes[0] ('x').op", "3"),
        bad(
            "unknown op",
            r -> node(r, 5).put("op", "frobnicate"),
            "nodes[5] ('matmul').op",
            "\"frobnicate\""),
        bad(
            "input of an unknown node",
            r -> ((ArrayNode) node(r, 5).get("inputs")).set(1, "nope:0"),
            "nodes[5] ('matmul').inputs[1]",
            "\"nope\""),
        bad(
            "input index past the outputs",
            r -> ((ArrayNode) node(r, 5).get("inputs")).set(1, "w:5"),
            "nodes[5] ('matmul').inputs[1]",
            "\"w:5\""),
        bad(
            "input index beyond int",
            r -> ((ArrayNode) node(r, 5).get("inputs")).set(1, "w:99999999999"),
            "nodes[5] ('matmul').inputs[1]",
            "\"w:99999999999\""),
        bad(
            "input not a string",
            r -> ((ArrayNode) node(r, 5).get("inputs")).set(1, 1),
            "nodes[5] ('matmul').inputs[1]",
            "1"),
        bad(
            "control input unknown",
            r -> node(r, 6).putArray("controlInputs").add("later"),
            "nodes[6] ('add').controlInputs[0]",
            "\"later\""),
        bad("device not a string", r -> node(r, 0).put("device", 0), "nodes[0] ('x').device", "0"),
        bad(
            "device unknown",
            r -> node(r, 0).put("device", "tpu:0"),
            "nodes[0] ('x').device",
            "\"tpu:0\""),
        bad(
            "device number beyond int",
            r -> node(r, 0).put("device", "gpu:99999999999"),
            "nodes[0] ('x').device",
            "\"gpu:99999999999\""),
        bad("nodes missing", r -> r.remove("nodes"), "nodes", "(missing)"),
        bad("variables missing", r -> r.remove("variables"), "variables", "(missing)"),
        bad(
            "inputs missing",
            r -> node(r, 5).remove("inputs"),
            "nodes[5] ('matmul').inputs",
            "(missing)"),
        bad(
            "attrs not an object",
            r -> node(r, 5).putArray("attrs"),
            "nodes[5] ('matmul').attrs",
            "[]"),
        bad(
            "node name twice",
            r -> node(r, 6).put("name", "matmul"),
            "nodes[6] ('matmul')",
            "'add'"),
        bad(
            "unknown dtype",
            r -> attr(r, 0, "dtype").put("dtype", "float99"),
            "nodes[0] ('x').attrs.dtype.dtype",
            "\"float99\""),
        bad(
            "attribute not an object",
            r -> ((ObjectNode) node(r, 0).get("attrs")).put("dtype", "float32"),
            "nodes[0] ('x').attrs.dtype",
            "\"float32\""),
        bad(
            "attribute of no known type",
            r -> attr(r, 2, "value").removeAll().put("complex", 1),
            "nodes[2] ('fill').attrs.value",
            "{\"complex\":1}"),
        bad(
            "int attribute a string",
            r -> attr(r, 2, "value").removeAll().put("int", "3"),
            "nodes[2] ('fill').attrs.value.int",
            "\"3\""),
        bad(
            "float attribute not a number",
            r -> attr(r, 2, "value").put("float", "abc"),
            "nodes[2] ('fill').attrs.value.float",
            "\"abc\""),
        bad(
            "ints attribute with a string",
            r -> attr(r, 2, "value").removeAll().putArray("ints").add(1).add("a"),
            "nodes[2] ('fill').attrs.value.ints[1]",
            "\"a\""),
        bad(
            "bool attribute a string",
            r -> attr(r, 5, "transposeA").put("bool", "yes"),
            "nodes[5] ('matmul').attrs.transposeA.bool",
            "\"yes\""),
        bad(
            "attribute of another type than the op reads",
            r -> attr(r, 5, "transposeA").removeAll().put("int", 1),
            "nodes[5] ('matmul')",
            "'matmul'"),
        bad(
            "attribute the op needs missing",
            r -> ((ObjectNode) node(r, 2).get("attrs")).remove("shape"),
            "nodes[2] ('fill')",
            "'fill'"),
        bad(
            "negative dimension",
            r -> attr(r, 0, "shape").putArray("shape").add(-5).add(3),
            "nodes[0] ('x').attrs.shape.shape",
            "[-5,3]"),
        bad(
            "dimension a string",
            r -> attr(r, 0, "shape").putArray("shape").add("3"),
            "nodes[0] ('x').attrs.shape.shape[0]",
            "\"3\""),
        bad(
            "rank 40",
            r -> {
              ArrayNode dims = attr(r, 0, "shape").putArray("shape");
              for (int i = 0; i < 40; i++) {
                dims.add(1);
              }
            },
            "nodes[0] ('x').attrs.shape.shape",
            "[1,1,1"),
        bad(
            "saved output type differs",
            r -> ((ObjectNode) node(r, 0).get("outputs").get(0)).put("dtype", "int8"),
            "nodes[0] ('x').outputs",
            "int8"),
        bad(
            "output shape not an array",
            r -> ((ObjectNode) node(r, 0).get("outputs").get(0)).put("shape", "abc"),
            "nodes[0] ('x').outputs[0].shape",
            "\"abc\""),
        bad(
            "tensor outside tensors/",
            r -> attr(r, 1, "value").put("tensor", "../../etc/passwd"),
            "nodes[1] ('w').attrs.value.tensor",
            "\"../../etc/passwd\""),
        bad(
            "tensor checksum wrong",
            r -> attr(r, 1, "value").put("sha256", "00"),
            "nodes[1] ('w').attrs.value.sha256",
            "\"00\""),
        bad(
            "tensor shape differs from its file",
            r -> attr(r, 1, "value").putArray("shape").add(1).add(3),
            "nodes[1] ('w').attrs.value.shape",
            "[1,3]"),
        Arguments.of(
            "tensor dtype differs from its file",
            (Consumer<ObjectNode>) r -> attr(r, 1, "value").put("dtype", "float64"),
            TENSOR,
            "descr",
            "'<f4'"),
        bad(
            "variable that is not a variable",
            r -> ((ObjectNode) r.get("variables").get(0)).put("node", "x"),
            "variables[0].node",
            "\"x\""),
        bad(
            "variable listed twice",
            r -> ((ArrayNode) r.get("variables")).add(r.get("variables").get(0)),
            "variables[1].node",
            "\"v\""),
        bad(
            "variable initializer unknown",
            r -> ((ObjectNode) r.get("variables").get(0)).put("initializer", "zz"),
            "variables[0].initializer",
            "\"zz\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void badManifestsNameFileFieldAndValue(
      String name, Consumer<ObjectNode> edit, String file, String field, String value)
      throws IOException {
    Directory dir = edited(edit);
    FileFormatException e =
        assertThrowsCheaply(FileFormatException.class, () -> GraphFile.read(dir));
    assertEquals(file, e.file());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": field '" + field + "' = "), e.getMessage());
    assertTrue(e.getMessage().contains(value), "expected '" + value + "' in: " + e.getMessage());
  }

  @Test
  void aTensorFileLyingAboutItsSizeFailsWithoutAllocatingIt() throws IOException {
    byte[] lying =
        npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", 10);
    Directory dir = edited(r -> attr(r, 1, "value").put("sha256", Checksums.sha256(lying)));
    try (OutputStream out = dir.child("tensors").create("0.npy")) {
      out.write(lying);
    }
    FileFormatException e =
        assertThrowsCheaply(FileFormatException.class, () -> GraphFile.read(dir));
    assertEquals(TENSOR, e.file());
    assertEquals("shape", e.field());
    assertTrue(e.getMessage().contains("(1099511627776,)"), e.getMessage());
  }

  @Test
  void brokenJsonIsNamedNotParsedAsFarAsItGoes() throws IOException {
    for (String text :
        new String[] {
          "",
          "{\"format\": \"anygraph.graph\"} trailing",
          "{\"format\": \"anygraph.graph\", \"format\": \"x\"}",
          "[1, 2",
          "null"
        }) {
      MemoryDirectory mem = saved();
      try (OutputStream out = mem.child("model").create("graph.json")) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      AnygraphException e =
          assertThrowsCheaply(AnygraphException.class, () -> GraphFile.read(mem.child("model")));
      assertTrue(e.getMessage().startsWith(MANIFEST), text + " gave: " + e.getMessage());
      assertTrue(
          text.isEmpty() || text.equals("null") || e.getMessage().contains("at line 1, column "),
          text + " gave: " + e.getMessage());
    }
  }

  @Test
  void missingFilesAreOneLineNamingThePath() throws IOException {
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> Graph.load(tmp.resolve("absent")));
    assertEquals(
        tmp.resolve("absent/graph.json").toAbsolutePath() + ": no such file", e.getMessage());
    assertInstanceOf(NoSuchFileException.class, e.getCause());

    MemoryDirectory mem = saved();
    mem.child("model").child("tensors").delete("0.npy");
    e = assertThrows(AnygraphException.class, () -> GraphFile.read(mem.child("model")));
    assertEquals(TENSOR + ": no such file", e.getMessage());
    assertInstanceOf(FileNotFoundException.class, e.getCause());

    String hdfsLike = tmp.resolve("nothing").toUri().toString();
    e = assertThrows(AnygraphException.class, () -> GraphFile.read(HadoopDirectory.of(hdfsLike)));
    assertTrue(
        e.getMessage().endsWith("graph.json: no such file") && e.getMessage().contains("nothing"),
        e.getMessage());
  }

  @Test
  void hadoopsOwnChecksumFailureIsOneLineNamingTheFile() throws IOException {
    // Hadoop's local file system keeps .crc files beside each file and checks them on reading.
    HadoopDirectory parent = HadoopDirectory.of(tmp.toUri().toString());
    GraphFile.save(model(), parent, "m");
    Path tensor = tmp.resolve("m/tensors/0.npy");
    byte[] bytes = Files.readAllBytes(tensor);
    bytes[bytes.length - 1] ^= 1;
    Files.write(tensor, bytes);
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> GraphFile.read(parent.child("m")));
    assertTrue(e.getMessage().contains("tensors/0.npy: cannot be read, corrupt"), e.getMessage());
    assertInstanceOf(ChecksumException.class, e.getCause());
  }

  /** A .npy header (version 1) followed by {@code dataBytes} zero bytes. */
  private static byte[] npyHeader(String dict, int dataBytes) {
    byte[] header = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[10 + header.length + dataBytes];
    byte[] pre = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, 0};
    System.arraycopy(pre, 0, out, 0, 10);
    System.arraycopy(header, 0, out, 10, header.length);
    return out;
  }
}
