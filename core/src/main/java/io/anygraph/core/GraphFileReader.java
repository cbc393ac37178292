package io.anygraph.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.ReadChecks;
import io.anygraph.core.ops.OpNames;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rebuilds a graph from a parsed {@link GraphFile} manifest: every node through {@link
 * Graph#insert}, so each op's type inference runs again and is compared with the saved types.
 */
final class GraphFileReader {
  private final Directory dir;
  private final ManifestFields f;
  private final Graph g = new Graph();
  private final Map<String, Node> byName = new HashMap<>();
  private final Set<String> variables = new HashSet<>();

  GraphFileReader(Directory dir, String where) {
    this(dir, new ManifestFields(where));
  }

  private GraphFileReader(Directory dir, ManifestFields f) {
    this.dir = dir;
    this.f = f;
  }

  /** A nested graph: its own nodes (names are its own), then its inputs and outputs by name. */
  private Subgraph subgraph(JsonNode v, String what) {
    GraphFileReader inner = new GraphFileReader(dir, f);
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
    if (!format.isTextual() || !GraphFile.FORMAT.equals(format.asText())) {
      throw f.bad(
          "format", format, "not an Anygraph graph file (expected \"" + GraphFile.FORMAT + "\")");
    }
    long version = f.integer(root, "version", "version");
    if (version < 1 || version > GraphFile.VERSION) {
      throw f.bad(
          "version",
          root.get("version"),
          "format version "
              + version
              + " is not supported (this build reads 1.."
              + GraphFile.VERSION
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
          what + ".tensor", v.get("tensor"), "names an unexpected file (expected tensors/<n>.npy)");
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
          JsonNodeFactory.instance.textNode(ref),
          "node '" + n.name() + "' has only " + n.outputs().size() + " outputs");
    }
    return g.tensor(ref);
  }

  private Node lookup(String name, String field) {
    Node n = byName.get(name);
    if (n == null) {
      throw f.bad(
          field, JsonNodeFactory.instance.textNode(name), "is not the name of an earlier node");
    }
    return n;
  }
}
