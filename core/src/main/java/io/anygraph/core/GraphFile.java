package io.anygraph.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.core.io.AtomicWrite;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.Npy;
import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The graph file format, version 1: a folder with {@code graph.json} and {@code tensors/N.npy}.
 * JSON names ops and typed attributes ({@code {"int": 3}}, {@code {"ints": [..]}}, {@code
 * {"float": 0.1}}, {@code {"bool": true}}, {@code {"string": ".."}}, {@code {"dtype":
 * "float32"}}, {@code {"shape": [-1, 784]}} or {@code {"shape": null}} for unknown rank, {@code
 * {"tensor": "tensors/0.npy", "dtype": .., "shape": .., "sha256": ..}}), never Java classes.
 * Loading re-runs every op's type inference and compares it with the saved types.
 */
public final class GraphFile {
  public static final String FORMAT = "anygraph.graph";
  public static final int VERSION = 1;
  static final String MANIFEST = "graph.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
    ArrayNode nodes = root.putArray("nodes");
    Directory tensors = dir.child("tensors");
    int[] tensorCount = {0};
    List<Node> saved = graph.nodes();
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
      n.outputs().forEach(t -> outs.addObject().put("dtype", t.dtype().label())
          .set("shape", shapeJson(t.shape())));
    }
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

  /** Reads a graph folder into a new graph; any inconsistency fails the whole load. */
  public static Graph read(Directory dir) throws IOException {
    String where = dir.location() + "/" + MANIFEST;
    JsonNode root;
    try (InputStream in = dir.open(MANIFEST)) {
      root = JSON.readTree(in);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new AnygraphException(where + " is not valid JSON (truncated or corrupt?): "
          + e.getOriginalMessage(), e);
    }
    return new Reader(dir, where).graph(root);
  }

  /** Rebuilds a graph from a parsed manifest. */
  private static final class Reader {
    private final Directory dir;
    private final String where;
    private final Graph g = new Graph();
    private final Map<String, Node> byName = new HashMap<>();

    Reader(Directory dir, String where) {
      this.dir = dir;
      this.where = where;
    }

    Graph graph(JsonNode root) throws IOException {
      if (!FORMAT.equals(root.path("format").asText())) {
        throw bad("not an Anygraph graph file (format is '" + root.path("format").asText() + "')");
      }
      int version = root.path("version").asInt(-1);
      if (version < 1 || version > VERSION) {
        throw bad("format version " + version + " is not supported (this build reads 1.." + VERSION + ")");
      }
      if (root.has("seed")) {
        g.setSeed(root.get("seed").asLong());
      }
      for (JsonNode jn : root.path("nodes")) {
        node(jn);
      }
      for (JsonNode jv : root.path("variables")) {
        Node v = lookup(jv.path("node").asText(), "variable");
        if (!v.op().equals(OpNames.VARIABLE)) {
          throw bad("'" + v.name() + "' is listed as a variable but is a '" + v.op() + "' op");
        }
        g.markVariable(v, g.tensor(jv.path("initializer").asText()));
      }
      return g;
    }

    private void node(JsonNode jn) throws IOException {
      String name = jn.path("name").asText();
      String op = jn.path("op").asText();
      if (!OpRegistry.has(op)) {
        throw bad("node '" + name + "' has unknown op '" + op + "'");
      }
      List<Tensor> inputs = new ArrayList<>();
      for (JsonNode in : jn.path("inputs")) {
        String t = in.asText();
        lookup(t.contains(":") ? t.substring(0, t.lastIndexOf(':')) : t, "input of '" + name + "'");
        inputs.add(g.tensor(t));
      }
      List<Node> controls = new ArrayList<>();
      for (JsonNode c : jn.path("controlInputs")) {
        controls.add(lookup(c.asText(), "control input of '" + name + "'"));
      }
      Attrs attrs = Attrs.empty();
      var fields = jn.path("attrs").fields();
      while (fields.hasNext()) {
        var f = fields.next();
        attrs = attrs.with(f.getKey(), decode(f.getValue(), name + "." + f.getKey()));
      }
      Node n;
      try {
        n = g.insert(name, op, inputs, attrs, jn.path("device").asText(""), controls);
      } catch (ShapeException e) {
        throw bad(e.getMessage());
      }
      List<TensorType> saved = new ArrayList<>();
      for (JsonNode o : jn.path("outputs")) {
        saved.add(new TensorType(DType.fromLabel(o.path("dtype").asText()), shape(o.get("shape"))));
      }
      if (!saved.equals(n.outputs())) {
        throw bad("node '" + name + "' (op " + op + ") was saved with outputs " + saved
            + " but its inputs give " + n.outputs());
      }
      byName.put(name, n);
    }

    private Object decode(JsonNode v, String what) throws IOException {
      if (v.has("int")) {
        return v.get("int").asLong();
      } else if (v.has("float")) {
        return v.get("float").isTextual() ? Double.valueOf(v.get("float").asText()) : v.get("float").asDouble();
      } else if (v.has("bool")) {
        return v.get("bool").asBoolean();
      } else if (v.has("string")) {
        return v.get("string").asText();
      } else if (v.has("ints")) {
        long[] a = new long[v.get("ints").size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = v.get("ints").get(i).asLong();
        }
        return a;
      } else if (v.has("tensor")) {
        return tensor(v, what);
      } else if (v.has("dtype")) {
        return DType.fromLabel(v.get("dtype").asText());
      } else if (v.has("shape")) {
        return shape(v.get("shape"));
      }
      throw bad("attribute " + what + " has no known type: " + v);
    }

    private INDArray tensor(JsonNode v, String what) throws IOException {
      String file = v.get("tensor").asText();
      if (!file.matches("tensors/[0-9]+\\.npy")) {
        throw bad("attribute " + what + " names an unexpected file '" + file + "'");
      }
      byte[] bytes;
      try (InputStream in = dir.child("tensors").open(file.substring("tensors/".length()))) {
        bytes = in.readAllBytes();
      }
      if (!Checksums.sha256(bytes).equals(v.path("sha256").asText())) {
        throw bad(file + " (attribute " + what + ") does not match its checksum: corrupt or altered");
      }
      DType dtype = DType.fromLabel(v.path("dtype").asText());
      INDArray a = Npy.read(new java.io.ByteArrayInputStream(bytes), dir.location() + "/" + file, dtype);
      if (!Shape.of(a.shape()).equals(shape(v.get("shape")))) {
        throw bad(file + " has shape " + Shape.of(a.shape()) + ", the manifest says " + shape(v.get("shape")));
      }
      return a;
    }

    private Shape shape(JsonNode s) {
      if (s == null || s.isNull()) {
        return Shape.unknownRank();
      }
      long[] d = new long[s.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = s.get(i).asLong();
      }
      return Shape.of(d);
    }

    private Node lookup(String name, String role) {
      Node n = byName.get(name);
      if (n == null) {
        throw bad(role + " refers to '" + name + "', which is not an earlier node");
      }
      return n;
    }

    private AnygraphException bad(String msg) {
      return new AnygraphException(where + ": " + msg);
    }
  }
}
