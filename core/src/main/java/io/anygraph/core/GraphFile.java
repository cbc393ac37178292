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
import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    return new Reader(dir, where).graph(root);
  }

  /** Rebuilds a graph from a parsed manifest. */
  private static final class Reader {
    private final Directory dir;
    private final ManifestFields f;
    private final Graph g = new Graph();
    private final Map<String, Node> byName = new HashMap<>();
    private final Set<String> variables = new HashSet<>();

    Reader(Directory dir, String where) {
      this(dir, new ManifestFields(where));
    }

    private Reader(Directory dir, ManifestFields f) {
      this.dir = dir;
      this.f = f;
    }

    /** A nested graph: its own nodes (names are its own), then its inputs and outputs by name. */
    private Subgraph subgraph(JsonNode v, String what) {
      Reader inner = new Reader(dir, f);
      JsonNode nodes = f.array(v, "nodes", what + ".nodes");
      for (int i = 0; i < nodes.size(); i++) {
        String at = what + ".nodes[" + i + "]";
        inner.node(f.object(nodes.get(i), at), at);
      }
      List<List<Tensor>> ends = new ArrayList<>();
      for (String end : List.of("inputs", "outputs")) {
        JsonNode refs = f.array(v, end, what + "." + end);
        List<Tensor> ts = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
          String field = what + "." + end + "[" + i + "]";
          ts.add(inner.tensor(f.text(refs.get(i), field), field));
        }
        ends.add(ts);
      }
      try {
        return new Subgraph(inner.g, ends.get(0), ends.get(1));
      } catch (AnygraphException e) {
        throw f.bad(what + ".inputs", v.get("inputs"), e.getMessage());
      }
    }

    Graph graph(JsonNode root) {
      f.object(root, "(top level)");
      JsonNode format = f.need(root, "format", "format");
      if (!format.isTextual() || !FORMAT.equals(format.asText())) {
        throw f.bad("format", format, "not an Anygraph graph file (expected \"" + FORMAT + "\")");
      }
      long version = f.integer(root, "version", "version");
      if (version < 1 || version > VERSION) {
        throw f.bad(
            "version",
            root.get("version"),
            "format version "
                + version
                + " is not supported (this build reads 1.."
                + VERSION
                + ")");
      }
      if (root.has("seed")) {
        g.setSeed(f.integer(root.get("seed"), "seed"));
      }
      JsonNode nodes = f.array(root, "nodes", "nodes");
      for (int i = 0; i < nodes.size(); i++) {
        node(f.object(nodes.get(i), "nodes[" + i + "]"), "nodes[" + i + "]");
      }
      JsonNode vars = f.array(root, "variables", "variables");
      for (int i = 0; i < vars.size(); i++) {
        String at = "variables[" + i + "]";
        JsonNode jv = f.object(vars.get(i), at);
        Node v = lookup(f.text(jv, "node", at + ".node"), at + ".node");
        if (!variables.add(v.name())) {
          throw f.bad(at + ".node", jv.get("node"), "is listed as a variable twice");
        }
        if (!v.op().equals(OpNames.VARIABLE)) {
          throw f.bad(
              at + ".node",
              jv.get("node"),
              "'" + v.name() + "' is a '" + v.op() + "' op, not a variable");
        }
        g.markVariable(
            v, tensor(f.text(jv, "initializer", at + ".initializer"), at + ".initializer"));
      }
      return g;
    }

    private void node(JsonNode jn, String at) {
      String name = f.text(jn, "name", at + ".name");
      at = at + " ('" + name + "')";
      String op = f.text(jn, "op", at + ".op");
      if (!OpRegistry.has(op)) {
        throw f.bad(at + ".op", jn.get("op"), "node '" + name + "' has unknown op '" + op + "'");
      }
      List<Tensor> inputs = new ArrayList<>();
      JsonNode ins = f.array(jn, "inputs", at + ".inputs");
      for (int i = 0; i < ins.size(); i++) {
        String field = at + ".inputs[" + i + "]";
        inputs.add(tensor(f.text(ins.get(i), field), field));
      }
      List<Node> controls = new ArrayList<>();
      JsonNode cs = f.optionalArray(jn, "controlInputs", at + ".controlInputs");
      for (int i = 0; i < cs.size(); i++) {
        String field = at + ".controlInputs[" + i + "]";
        controls.add(lookup(f.text(cs.get(i), field), field));
      }
      Attrs attrs = Attrs.empty();
      JsonNode ja = f.object(f.need(jn, "attrs", at + ".attrs"), at + ".attrs");
      var fields = ja.fields();
      while (fields.hasNext()) {
        var a = fields.next();
        attrs =
            attrs.with(
                a.getKey(),
                decode(
                    f.object(a.getValue(), at + ".attrs." + a.getKey()),
                    at + ".attrs." + a.getKey()));
      }
      String device = jn.has("device") ? f.text(jn.get("device"), at + ".device") : "";
      if (!GraphScopes.isDevice(device)) {
        throw f.bad(at + ".device", jn.get("device"), "is not a device (cpu:N or gpu:N)");
      }
      Node n;
      try {
        n = g.insert(name, op, inputs, attrs, device, controls);
      } catch (AnygraphException | IllegalArgumentException | ClassCastException e) {
        // a ClassCastException: an attribute of another type than the op reads
        throw new FileFormatException(
            f.file(), at, "op '" + op + "'", "the node cannot be rebuilt: " + e.getMessage(), e);
      }
      List<TensorType> saved = new ArrayList<>();
      JsonNode outs = f.array(jn, "outputs", at + ".outputs");
      for (int i = 0; i < outs.size(); i++) {
        String field = at + ".outputs[" + i + "]";
        JsonNode o = f.object(outs.get(i), field);
        saved.add(
            new TensorType(
                f.dtype(f.need(o, "dtype", field + ".dtype"), field + ".dtype"),
                f.shape(f.need(o, "shape", field + ".shape"), field + ".shape")));
      }
      if (!saved.equals(n.outputs())) {
        throw f.bad(
            at + ".outputs",
            outs,
            "node '"
                + name
                + "' (op "
                + op
                + ") was saved with outputs "
                + saved
                + " but its inputs give "
                + n.outputs());
      }
      byName.put(name, n);
    }

    /** One typed attribute: an object with one of the keys below. */
    private Object decode(JsonNode v, String what) {
      if (v.has("int")) {
        return f.integer(v.get("int"), what + ".int");
      } else if (v.has("float")) {
        return f.number(v.get("float"), what + ".float");
      } else if (v.has("bool")) {
        return f.bool(v.get("bool"), what + ".bool");
      } else if (v.has("string")) {
        return f.text(v.get("string"), what + ".string");
      } else if (v.has("ints")) {
        JsonNode ints = f.optionalArray(v, "ints", what + ".ints");
        long[] a = new long[ints.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = f.integer(ints.get(i), what + ".ints[" + i + "]");
        }
        return a;
      } else if (v.has("tensor")) {
        return tensorAttr(v, what);
      } else if (v.has("dtype")) {
        return f.dtype(v.get("dtype"), what + ".dtype");
      } else if (v.has("shape")) {
        return f.shape(v.get("shape"), what + ".shape");
      } else if (v.has("graph")) {
        return subgraph(f.object(v.get("graph"), what + ".graph"), what + ".graph");
      }
      throw f.bad(
          what,
          v,
          "has no known attribute type (int, float, bool, string, ints, tensor, dtype, shape, graph)");
    }

    private INDArray tensorAttr(JsonNode v, String what) {
      String file = f.text(v, "tensor", what + ".tensor");
      if (!file.matches("tensors/[0-9]{1,9}\\.npy")) {
        throw f.bad(
            what + ".tensor",
            v.get("tensor"),
            "names an unexpected file (expected tensors/<n>.npy)");
      }
      Directory tensors = dir.child("tensors");
      String name = file.substring("tensors/".length());
      return f.array(
          v, what, ReadChecks.readAll(tensors, name), file, ReadChecks.pathOf(tensors, name));
    }

    /** Output {@code ref} ("node" or "node:1") of an earlier node. */
    private Tensor tensor(String ref, String field) {
      int colon = ref.lastIndexOf(':');
      boolean indexed = colon > 0 && ref.substring(colon + 1).matches("[0-9]{1,9}");
      Node n = lookup(indexed ? ref.substring(0, colon) : ref, field);
      int index = indexed ? Integer.parseInt(ref.substring(colon + 1)) : 0;
      if (index >= n.outputs().size()) {
        throw f.bad(
            field,
            JSON.getNodeFactory().textNode(ref),
            "node '" + n.name() + "' has only " + n.outputs().size() + " outputs");
      }
      return g.tensor(ref);
    }

    private Node lookup(String name, String field) {
      Node n = byName.get(name);
      if (n == null) {
        throw f.bad(
            field, JSON.getNodeFactory().textNode(name), "is not the name of an earlier node");
      }
      return n;
    }
  }
}
