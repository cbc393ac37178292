package io.anygraph.interop.tf;

import io.anygraph.board.events.proto.GraphDef;
import io.anygraph.board.events.proto.NodeDef;
import io.anygraph.core.AnygraphException;
import io.anygraph.core.Attrs;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One import: checks every needed node has a mapping before building anything, orders the nodes (a
 * variable after its initial value), and builds each through {@link TfOpTable} inside its name
 * scope, device request and control dependencies.
 */
final class GraphImporter {
  private final Map<String, TfNode> nodes = new LinkedHashMap<>();
  private final Map<String, List<String>> consumers = new HashMap<>();
  private final Map<String, INDArray> values;
  private final Collection<String> roots;
  private final Set<String> sharded;

  /** Variable name to the node of its initializing assignment. */
  private final Map<String, TfNode> initAssign = new HashMap<>();

  private final Set<String> initAssigns = new HashSet<>();
  private final Graph g;
  private final Map<String, List<Tensor>> outputs = new HashMap<>();
  private final Map<String, Folded> folded = new HashMap<>();

  /** What is imported, for messages: "the graph", or a function of the library. */
  private final String what;

  /** Names bound before the import starts (a function's arguments). */
  private final Set<String> bound;

  private final TfFunctions functions;

  GraphImporter(
      GraphDef def, Map<String, INDArray> values, Collection<String> roots, Set<String> sharded) {
    this(
        new Graph(),
        "the graph",
        def.getNodeList(),
        Map.of(),
        new TfFunctions(def.getLibrary()),
        values,
        roots,
        sharded);
  }

  /**
   * A function body: {@code nodes} built on {@code g} (which may be tracing a control-flow body),
   * reading the {@code args} by name.
   */
  GraphImporter(
      Graph g,
      String what,
      List<NodeDef> nodes,
      Map<String, Tensor> args,
      TfFunctions functions,
      Collection<String> roots) {
    this(g, what, nodes, args, functions, Map.of(), roots, Set.of());
  }

  private GraphImporter(
      Graph g,
      String what,
      List<NodeDef> defs,
      Map<String, Tensor> args,
      TfFunctions functions,
      Map<String, INDArray> values,
      Collection<String> roots,
      Set<String> sharded) {
    this.g = g;
    this.what = what;
    this.functions = functions;
    this.bound = args.keySet();
    args.forEach((name, t) -> outputs.put(name, List.of(t)));
    this.sharded = sharded;
    for (NodeDef n : defs) {
      if (nodes.put(n.getName(), new TfNode(n)) != null) {
        throw new GraphImportException("GraphDef has two nodes named '" + n.getName() + "'");
      }
    }
    this.values = values;
    this.roots = roots;
    for (TfNode n : nodes.values()) {
      List<String> read = new ArrayList<>(n.controls);
      n.inputs.forEach(in -> read.add(in.node()));
      for (String in : read) {
        if (!nodes.containsKey(in) && !bound.contains(in)) {
          throw new GraphImportException(
              n.where() + " reads '" + in + "', which is not in " + what);
        }
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.name());
      }
    }
    for (String p : sharded) {
      if (!nodes.containsKey(p) || !nodes.get(p).op().equals("Placeholder")) {
        throw new GraphImportException("No placeholder named '" + p + "' to shard");
      }
    }
    for (String r : roots) {
      if (!nodes.containsKey(r)) {
        throw new GraphImportException("No node named '" + r + "' to import from " + what);
      }
    }
  }

  ImportedGraph run() {
    Map<String, Tensor> placeholders = new LinkedHashMap<>();
    for (TfNode n : buildAll()) {
      if (n.op().equals("Placeholder")) {
        placeholders.put(n.name(), outputs.get(n.name()).get(0));
      }
    }
    return new ImportedGraph(g, outputs, placeholders);
  }

  /** Builds every live node, in order; the nodes built. */
  List<TfNode> buildAll() {
    findInitializers();
    List<TfNode> order = order(liveNodes());
    checkMapped(order);
    for (TfNode n : order) {
      build(n);
    }
    return order;
  }

  /** The outputs of node {@code name} (or the bound argument {@code name}) once built. */
  List<Tensor> outputsOf(String name) {
    List<Tensor> outs = outputs.get(name);
    if (outs == null) {
      throw new GraphImportException(what + " has no node or argument named '" + name + "'");
    }
    return outs;
  }

  TfFunctions functions() {
    return functions;
  }

  /** A variable's first assignment whose value does not read the variable. */
  private void findInitializers() {
    for (TfNode n : nodes.values()) {
      boolean assign = n.op().equals("Assign") || n.op().equals("AssignVariableOp");
      if (!assign || n.inputs.size() < 2) {
        continue;
      }
      String var = n.inputs.get(0).node();
      if (!initAssign.containsKey(var) && !upstream(n.inputs.get(1).node()).contains(var)) {
        initAssign.put(var, n);
        initAssigns.add(n.name());
      }
    }
  }

  /** What building {@code n} needs first: inputs, controls, a variable's initial value. */
  private List<String> inputNames(TfNode n, boolean forBuild) {
    List<String> deps = new ArrayList<>();
    boolean valuedInit =
        forBuild && initAssigns.contains(n.name()) && values.containsKey(n.inputs.get(0).node());
    for (int i = 0; i < n.inputs.size(); i++) {
      if (!(valuedInit && i > 0)) {
        deps.add(n.inputs.get(i).node());
      }
    }
    deps.addAll(n.controls);
    deps.removeAll(bound); // already built
    TfNode init = forBuild && !values.containsKey(n.name()) ? initAssign.get(n.name()) : null;
    if (init != null) {
      deps.add(init.inputs.get(1).node());
      deps.addAll(init.controls);
    }
    return deps;
  }

  private Set<String> upstream(String start) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (seen.add(s)) {
        todo.addAll(inputNames(nodes.get(s), false));
      }
    }
    return seen;
  }

  /** The roots (or every node nothing reads) and what they need. */
  private Set<String> liveNodes() {
    Deque<String> todo = new ArrayDeque<>();
    if (roots.isEmpty()) {
      nodes.keySet().stream().filter(k -> !consumers.containsKey(k)).forEach(todo::add);
    } else {
      todo.addAll(roots);
    }
    Set<String> live = new HashSet<>();
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (live.add(s)) {
        todo.addAll(inputNames(nodes.get(s), true));
      }
    }
    return live;
  }

  /** Depth-first post-order over the live nodes, in GraphDef order where free. */
  private List<TfNode> order(Set<String> live) {
    List<TfNode> order = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
    for (String start : nodes.keySet()) {
      if (!live.contains(start) || state.containsKey(start)) {
        continue;
      }
      Deque<String[]> stack = new ArrayDeque<>();
      stack.push(new String[] {start, null});
      while (!stack.isEmpty()) {
        String[] top = stack.peek();
        String name = top[0];
        if (top[1] == null) {
          top[1] = "";
          state.put(name, 1);
          for (String d : inputNames(nodes.get(name), true)) {
            Integer st = state.get(d);
            if (st == null) {
              stack.push(new String[] {d, null});
            } else if (st == 1) {
              throw new GraphImportException(
                  nodes.get(name).where()
                      + " is on a cycle through '"
                      + d
                      + "' (TensorFlow 1.x while loops are not supported)");
            }
          }
        } else {
          stack.pop();
          if (state.get(name) == 1) {
            state.put(name, 2);
            order.add(nodes.get(name));
          }
        }
      }
    }
    return order;
  }

  /** Fails the whole import, before building anything, if some needed op has no mapping. */
  private void checkMapped(List<TfNode> order) {
    List<String> missing = new ArrayList<>();
    for (TfNode n : order) {
      if (TfOpTable.get(n.op()) != null) {
        functions.checkCalls(n); // the functions an If or While calls, before building any
      } else {
        List<String> users = consumers.getOrDefault(n.name(), List.of());
        missing.add(
            n.where()
                + " used by "
                + (users.isEmpty() ? "no node" : "'" + String.join("', '", users) + "'"));
      }
    }
    if (!missing.isEmpty()) {
      throw new GraphImportException(
          "Cannot import "
              + what
              + ": "
              + missing.size()
              + " node(s) have an op with no mapping: "
              + String.join("; ", missing.subList(0, Math.min(20, missing.size())))
              + (missing.size() > 20 ? "; ..." : "")
              + ". Mapped ops: "
              + TfOpTable.ops());
    }
  }

  private void build(TfNode n) {
    List<Tensor> ins = new ArrayList<>();
    List<Folded> known = new ArrayList<>();
    boolean initializer = initAssigns.contains(n.name());
    for (int i = 0; i < n.inputs.size() && !(initializer && i > 0); i++) {
      TfNode.Input in = n.inputs.get(i);
      List<Tensor> outs = outputs.get(in.node());
      if (in.index() >= outs.size()) {
        throw new GraphImportException(
            n.where()
                + " reads output "
                + in.index()
                + " of '"
                + in.node()
                + "', which has "
                + outs.size());
      }
      ins.add(outs.get(in.index()));
      known.add(in.index() == 0 ? folded.get(in.node()) : null);
    }
    List<Tensor> controls = new ArrayList<>();
    for (String c : n.controls) {
      controls.add(outputs.get(c).get(0));
    }
    TfOpContext c = new TfOpContext(g, n, ins, known, this);
    int slash = n.name().lastIndexOf('/');
    try (Scope name = slash > 0 ? g.nameScope(n.name().substring(0, slash + 1)) : null;
        Scope device = n.device().isEmpty() ? null : g.device(n.device());
        Scope deps = controls.isEmpty() ? null : g.controlDependencies(controls);
        Scope split = sharded.contains(n.name()) ? g.sharded() : null) {
      if (initializer) {
        outputs.put(n.name(), List.of(c.variable(0).initializer()));
        return;
      }
      TfOp op = TfOpTable.get(n.op());
      Folded f = op.fold() == null ? null : op.fold().fold(c);
      if (f != null) {
        folded.put(n.name(), f);
      }
      if (f != null && !f.isPartial()) {
        outputs.put(n.name(), List.of(c.op("constant", Attrs.of("value", f.array()))));
      } else if (op.build() == null) {
        throw c.fail("can only be imported when its inputs are constants or static shapes");
      } else {
        outputs.put(n.name(), op.build().build(c));
        if (n.op().equals("Const")) {
          folded.put(n.name(), Folded.of(c.attrTensor("value")));
        }
      }
    } catch (GraphImportException e) {
      throw e;
    } catch (AnygraphException | IllegalArgumentException | IllegalStateException e) {
      throw new GraphImportException(c.fail(e.getMessage()).getMessage(), e);
    }
  }

  /** The initial value of the variable node {@code c}: given as a value, or its initializer's. */
  Tensor initialValue(TfOpContext c) {
    String name = c.node.name();
    INDArray given = values.get(name);
    if (given != null) {
      return c.inner(() -> c.g.constant(given, "initial_value"));
    }
    TfNode assign = initAssign.get(name);
    if (assign == null) {
      throw c.fail("has no initializer (no Assign of it in the graph) and no value was given");
    }
    TfNode.Input v = assign.inputs.get(1);
    return outputs.get(v.node()).get(v.index());
  }
}
