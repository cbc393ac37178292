package io.anygraph.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.core.io.AtomicWrite;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.Npy;
import io.anygraph.core.io.ReadChecks;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The graph file format, version 1: a folder with {@code graph.json} and {@code tensors/N.npy}.
 * JSON names ops and typed attributes ({@code {"int": 3}}, {@code {"ints": [..]}}, {@code {"float":
 * 0.1}}, {@code {"bool": true}}, {@code {"string": ".."}}, {@code {"dtype": "float32"}}, {@code
 * {"shape": [-1, 784]}} or {@code {"shape": null}} for unknown rank, {@code {"tensor":
 * "tensors/0.npy", "dtype": .., "shape": .., "sha256": ..}}, {@code {"graph": {"nodes": [..],
 * "inputs": [..], "outputs": [..]}}} for the nested graph of a control-flow op), never Java
 * classes. Loading re-runs every op's type inference and compares it with the saved types.
 */
public final class GraphFile {
  public static final String FORMAT = "anygraph.graph";
  public static final int VERSION = 1;
  static final String MANIFEST = "graph.json";
  private static final ObjectMapper JSON =
      ManifestFields.strict(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT);

  private GraphFile() {}

  /** Writes {@code graph} as folder {@code name} of {@code parent}, replacing it atomically. */
  public static void save(Graph graph, Directory parent, String name) throws IOException {
    AtomicWrite.folder(parent, name, dir -> write(graph, dir));
  }

  static void write(Graph graph, Directory dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    graph.seed().ifPresent(s -> root.put("seed", s));
    Directory tensors = dir.child("tensors");
    int[] tensorCount = {0};
    List<Node> saved = graph.nodes();
    root.set("nodes", nodes(saved, tensors, tensorCount));
    ArrayNode vars = root.putArray("variables");
    for (Variable v : graph.variables()) {
      // Ids are positions in an append-only list: this leaves out variables that other threads
      // added after the nodes were taken, so the file is the graph at one moment.
      if (v.node().id() >= saved.size() || v.initializer().node().id() >= saved.size()) {
        continue;
      }
      vars.addObject().put("node", v.node().name()).put("initializer", v.initializer().name());
    }
    try (OutputStream out = dir.create(MANIFEST)) {
      JSON.writeValue(out, root);
    }
  }

  /** The nodes as JSON; the nested graphs of control-flow nodes are written inline. */
  private static ArrayNode nodes(List<Node> saved, Directory tensors, int[] tensorCount)
      throws IOException {
    ArrayNode nodes = JSON.createArrayNode();
    for (Node n : saved) {
      ObjectNode jn = nodes.addObject();
      jn.put("name", n.name());
      jn.put("op", n.op());
      ArrayNode ins = jn.putArray("inputs");
      n.inputs().forEach(t -> ins.add(t.name()));
      if (!n.controlInputs().isEmpty()) {
        ArrayNode cs = jn.putArray("controlInputs");
        n.controlInputs().forEach(c -> cs.add(c.name()));
      }
      if (!n.device().isEmpty()) {
        jn.put("device", n.device());
      }
      ObjectNode attrs = jn.putObject("attrs");
      for (Map.Entry<String, Object> a : n.attrs().asMap().entrySet()) {
        if (a.getValue() != null) {
          attrs.set(a.getKey(), encode(a.getValue(), tensors, tensorCount));
        }
      }
      ArrayNode outs = jn.putArray("outputs");
      n.outputs()
          .forEach(
              t ->
                  outs.addObject()
                      .put("dtype", t.dtype().label())
                      .set("shape", shapeJson(t.shape())));
    }
    return nodes;
  }

  private static JsonNode encode(Object v, Directory tensors, int[] count) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    if (v instanceof Long l) {
      o.put("int", l);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        o.put("float", d.toString()); // JSON has no NaN or Infinity literals
      } else {
        o.put("float", d);
      }
    } else if (v instanceof Boolean b) {
      o.put("bool", b);
    } else if (v instanceof String s) {
      o.put("string", s);
    } else if (v instanceof long[] ls) {
      ArrayNode a = o.putArray("ints");
      for (long l : ls) {
        a.add(l);
      }
    } else if (v instanceof DType t) {
      o.put("dtype", t.label());
    } else if (v instanceof Shape s) {
      o.set("shape", shapeJson(s));
    } else if (v instanceof Subgraph sg) {
      ObjectNode body = o.putObject("graph");
      body.set("nodes", nodes(sg.graph().nodes(), tensors, count));
      ArrayNode ins = body.putArray("inputs");
      sg.inputs().forEach(t -> ins.add(t.name()));
      ArrayNode outs = body.putArray("outputs");
      sg.outputs().forEach(t -> outs.add(t.name()));
    } else if (v instanceof INDArray arr) {
      String file = count[0]++ + ".npy";
      byte[] bytes = Npy.toBytes(arr);
      try (OutputStream out = tensors.create(file)) {
        out.write(bytes);
      }
      o.put("tensor", "tensors/" + file);
      o.put("dtype", DType.fromNd4j(arr.dataType()).label());
      o.set("shape", shapeJson(Shape.of(arr.shape())));
      o.put("sha256", Checksums.sha256(bytes));
    } else {
      throw new IllegalStateException("attribute of type " + v.getClass());
    }
    return o;
  }

  static JsonNode shapeJson(Shape s) {
    if (!s.hasRank()) {
      return JSON.nullNode();
    }
    ArrayNode a = JSON.createArrayNode();
    for (long d : s.dims()) {
      a.add(d);
    }
    return a;
  }

  /**
   * Reads a graph folder into a new graph; any inconsistency fails the whole load with a {@link
   * FileFormatException} naming the file, the field and its value (a missing folder or file: an
   * {@link AnygraphException} "<path>: no such file").
   */
  public static Graph read(Directory dir) throws IOException {
    String where = ReadChecks.pathOf(dir, MANIFEST);
    JsonNode root;
    try {
      root = JSON.readTree(ReadChecks.readAll(dir, MANIFEST));
    } catch (JacksonException e) {
      var at = e.getLocation();
      throw new AnygraphException(
          where
              + " is not valid JSON (truncated or corrupt?)"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage(),
          e);
    }
    if (root == null || root.isMissingNode()) {
      throw new AnygraphException(where + " is empty");
    }
    return new GraphFileReader(dir, where).graph(root);
  }
}
