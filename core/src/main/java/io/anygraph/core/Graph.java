package io.anygraph.core;

import io.anygraph.core.autodiff.Autodiff;
import io.anygraph.core.io.LocalDirectory;
import io.anygraph.core.ops.OpContext;
import io.anygraph.core.ops.OpRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An append-only graph of operations (TensorFlow 1.x's {@code tf.Graph}).
 *
 * <pre>{@code
 * Graph g = new Graph();
 * Tensor a = g.placeholder(DType.INT8, "a");
 * Tensor b = g.placeholder(DType.INT8, "b");
 * try (var scope = g.nameScope("addition")) {
 *   Tensor sum = a.add(b);          // named "addition/add"
 * }
 * }</pre>
 *
 * <p>Types and shapes are inferred when a node is added; a mismatch fails at once with the node,
 * the op and the shapes in the message. Nodes are immutable.
 *
 * <p>Several threads may build one graph at once. Scopes (name, device, colocation, control
 * dependencies, sharded) are per thread, as in TensorFlow: a node gets the scopes of the thread
 * that adds it, and a scope must be closed on the thread that opened it. Unique names are handed
 * out graph-wide, so two threads opening {@code nameScope("layer")} get {@code layer} and {@code
 * layer_1}. A thread may re-enter another's scope by its full name: {@code nameScope("layer/")}.
 * Running a graph does not depend on any thread's open scopes.
 */
public final class Graph {
  /** Attribute naming the node a node is colocated with ({@link #colocateWith}). */
  public static final String COLOCATE_WITH = "colocateWith";

  /** Attribute of a placeholder split along this axis across devices ({@link #sharded}). */
  public static final String SHARD_AXIS = "shardAxis";

  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Node> byName = new HashMap<>();
  private final NameTable names = new NameTable();
  private final VariableTable variables = new VariableTable();
  private final GraphScopes scopes = new GraphScopes();
  private final Ops ops = new Ops(this, null);
  final Nesting nesting = new Nesting(this);
  private Long seed;
  private Session ownSession;

  /** The op builders of this graph (TensorFlow's {@code tf.*} namespace). */
  public Ops ops() {
    return ops;
  }

  /** Op builders whose next op gets exactly this name (within the current name scope). */
  public Ops withName(String name) {
    return new Ops(this, name);
  }

  // ---- sources -------------------------------------------------------------------------------

  /** A placeholder of unknown shape ({@code tf.placeholder(tf.int8)}). */
  public Tensor placeholder(DType dtype) {
    return placeholder(dtype, Shape.unknownRank(), null);
  }

  public Tensor placeholder(DType dtype, String name) {
    return placeholder(dtype, Shape.unknownRank(), name);
  }

  public Tensor placeholder(DType dtype, Shape shape) {
    return placeholder(dtype, shape, null);
  }

  /** A placeholder; {@code -1} dimensions accept any size ({@code None} in TensorFlow). */
  public Tensor placeholder(DType dtype, Shape shape, String name) {
    return add("placeholder", List.of(), Attrs.of("dtype", dtype, "shape", shape), name).get(0);
  }

  /** A scalar placeholder, as Theano's {@code th.iscalar('a')} / {@code th.dscalar()}. */
  public Tensor scalar(DType dtype, String name) {
    return placeholder(dtype, Shape.scalar(), name);
  }

  public Tensor constant(INDArray value) {
    return constant(value, null);
  }

  public Tensor constant(INDArray value, String name) {
    return add("constant", List.of(), Attrs.of("value", value), name).get(0);
  }

  /** {@code tf.constant(0.1, shape=[1,3])}: a constant filled with one value. */
  public Tensor constant(double value, DType dtype, long... shape) {
    return constant(Values.filled(value, dtype, Shape.of(shape)), null);
  }

  /**
   * A TensorFlow-style variable with an initializer op, e.g. {@code
   * g.variable(g.random().normal(DType.FLOAT32, Shape.of(5, 5, 1, 3), 0, 0.1), "weights")}. It must
   * be initialized ({@link Session#initializeAllVariables()}) before it is read.
   */
  public synchronized Variable variable(Tensor initialValue, String name) {
    return variables.create(this, initialValue, name, Attrs.empty());
  }

  public Variable variable(Tensor initialValue) {
    return variable(initialValue, null);
  }

  /**
   * A variable that optimizers leave alone unless asked ({@code trainable=False} in TensorFlow):
   * counters, optimizer slots, running statistics.
   */
  public synchronized Variable nonTrainableVariable(Tensor initialValue, String name) {
    return variables.create(this, initialValue, name, Attrs.of("trainable", false));
  }

  /**
   * A Theano-style shared variable holding {@code value}: no explicit initialization is needed, and
   * every session starts from this value.
   */
  public synchronized Variable shared(INDArray value, String name) {
    Tensor init = constant(value, name == null ? null : name + "_init");
    return variables.create(this, init, name, Attrs.of("initialValue", value));
  }

  /** Control flow as ops holding nested graphs: {@code cond}, {@code whileLoop}, {@code scan}. */
  public ControlFlow control() {
    return new ControlFlow(this);
  }

  /** Neural-network ops ({@code tf.nn.*}): convolution, pooling, activations, losses. */
  public Nn nn() {
    return new Nn(this);
  }

  /** Random initializers and sampling ops. */
  public RandomOps random() {
    return new RandomOps(this);
  }

  /** Graph-level seed: with it, every random op without its own seed is deterministic. */
  public synchronized void setSeed(long seed) {
    this.seed = seed;
  }

  public synchronized Optional<Long> seed() {
    return Optional.ofNullable(seed);
  }

  // ---- autodiff ------------------------------------------------------------------------------

  /** d(sum of y)/dx, built as graph nodes (Theano's {@code th.grad}, TF's {@code tf.gradients}). */
  public Tensor grad(Tensor y, Tensor x) {
    return Autodiff.gradients(List.of(y), List.of(x), null).get(0);
  }

  public List<Tensor> grad(Tensor y, List<? extends Tensor> xs) {
    return Autodiff.gradients(List.of(y), xs, null);
  }

  /** Gradients of a non-scalar {@code y} weighted by the upstream gradient {@code dy}. */
  public List<Tensor> grad(Tensor y, List<? extends Tensor> xs, Tensor dy) {
    return Autodiff.gradients(List.of(y), xs, List.of(dy));
  }

  // ---- Theano-style front door ---------------------------------------------------------------

  public Function function(List<? extends Tensor> inputs, Tensor output) {
    return new Function(this, null, inputs, List.of(output), Map.of());
  }

  public Function function(String name, List<? extends Tensor> inputs, Tensor output) {
    return new Function(this, name, inputs, List.of(output), Map.of());
  }

  /** {@code theano.function(inputs, outputs, updates=...)}; updates apply after the outputs. */
  public Function function(
      List<? extends Tensor> inputs,
      List<? extends Tensor> outputs,
      Map<Variable, ? extends Tensor> updates) {
    return new Function(this, null, inputs, outputs, updates);
  }

  /** The session that functions, {@code eval} and shared variables use when none is given. */
  public synchronized Session ownSession() {
    if (ownSession == null) {
      ownSession = new Session(this);
    }
    return ownSession;
  }

  // ---- scopes --------------------------------------------------------------------------------

  /**
   * Opens a name scope: nodes created inside get {@code name/} as prefix. Scopes nest; a name
   * already used becomes {@code name_1}. A name ending in {@code /} re-enters that exact scope.
   * Like every scope, it applies to the calling thread only.
   */
  public synchronized Scope nameScope(String name) {
    return scopes.nameScope(name, names, byName::containsKey);
  }

  /** The calling thread's current name scope prefix, {@code ""} at top level. */
  public String currentNameScope() {
    return scopes.here().names.top();
  }

  /** Requests a device ({@code "cpu:0"}, {@code "gpu:1"}) for nodes created inside. */
  public Scope device(String device) {
    return scopes.device(device);
  }

  /**
   * Keeps nodes created inside on the device of {@code t}'s node, whatever the placer would choose
   * ({@code tf.colocate_with}). Variables are always colocated with their updates.
   */
  public Scope colocateWith(Tensor t) {
    checkOwned(t);
    return scopes.colocateWith(t.node());
  }

  /**
   * Placeholders created inside are split along axis 0 (the batch) across devices and workers for
   * data-parallel runs; the partitioner derives how every other value is split:
   *
   * <pre>{@code
   * try (Scope s = g.sharded()) {
   *   images = g.placeholder(DType.FLOAT32, Shape.of(-1, 784), "images");
   * }
   * }</pre>
   *
   * On a single device the annotation changes nothing.
   */
  public Scope sharded() {
    return scopes.sharded();
  }

  /** Nodes created inside run after {@code deps} have run. */
  public Scope controlDependencies(List<? extends Tensor> deps) {
    List<Node> nodes = new ArrayList<>(deps.size());
    for (Tensor t : deps) {
      checkOwned(t);
      nodes.add(t.node());
    }
    return scopes.controlDependencies(nodes);
  }

  // ---- nodes ---------------------------------------------------------------------------------

  /**
   * Adds a node of a registered op: checks inputs, infers output types (failing with a {@link
   * ShapeException} on a mismatch), assigns a unique name, and appends it.
   *
   * @param name requested name inside the current scope, or null for the op's default name
   */
  public synchronized List<Tensor> add(String op, List<Tensor> inputs, Attrs attrs, String name) {
    Graph body = nesting.tracing();
    if (body != null) { // a control-flow body is being traced: the op belongs to it
      return body.add(op, inputs, attrs, name);
    }
    OpRegistry.get(op); // an unknown op fails first
    nesting.checkOp(op, name);
    inputs = nesting.own(inputs); // outer tensors read by a body become captures
    String base = name == null ? op : name;
    NameTable.check(base, "node name");
    ThreadScopes scope = scopes.here();
    String prefix = scope.names.top();
    String full = names.unique(prefix.isEmpty() ? base : prefix + "/" + base, byName::containsKey);
    attrs = GraphScopes.scoped(scope, op, attrs);
    Node node = append(full, op, inputs, attrs, scope.devices.top(), scope.controlDeps.top());
    List<Tensor> outs = new ArrayList<>(node.outputs().size());
    for (int i = 0; i < node.outputs().size(); i++) {
      outs.add(new Tensor(this, node, i));
    }
    return outs;
  }

  /**
   * Adds a node under an exact full name, outside any scope: how graph files are read back and how
   * graph rewrites (the partitioner's passes) copy nodes. Types are inferred as in {@link #add}; a
   * name already in use is an error.
   */
  public synchronized Node insert(
      String name,
      String op,
      List<Tensor> inputs,
      Attrs attrs,
      String device,
      List<Node> controls) {
    if (byName.containsKey(name)) {
      throw new AnygraphException("Node name '" + name + "' appears twice");
    }
    NameTable.check(name, "node name");
    for (Tensor t : inputs) {
      checkOwned(t);
    }
    for (Node c : controls) {
      if (byName.get(c.name()) != c) {
        throw new AnygraphException(
            "Control input " + c + " of '" + name + "' belongs to another graph");
      }
    }
    Node node = append(name, op, inputs, attrs, device, controls);
    names.claim(name);
    return node;
  }

  /** Infers the output types (or fails), then appends the node under its final name. */
  private Node append(
      String name,
      String op,
      List<Tensor> inputs,
      Attrs attrs,
      String device,
      List<Node> controls) {
    List<TensorType> inTypes = inputs.stream().map(Tensor::type).toList();
    List<TensorType> types =
        OpRegistry.get(op).infer(new OpContext(name, op, inTypes, attrs, inputs));
    Node node = new Node(nodes.size(), name, op, inputs, attrs, types, device, controls);
    nodes.add(node);
    byName.put(name, node);
    return node;
  }

  /** Marks a restored or copied variable node with its initializer. */
  public synchronized Variable markVariable(Node varNode, Tensor initializer) {
    return variables.mark(this, varNode, initializer);
  }

  /**
   * Saves the graph as a folder: {@code graph.json} (op names and attributes, versioned and
   * documented in README) and {@code tensors/*.npy}. The folder is replaced atomically.
   */
  public void save(Path folder) throws IOException {
    Path abs = folder.toAbsolutePath();
    GraphFile.save(this, new LocalDirectory(abs.getParent()), abs.getFileName().toString());
  }

  /** Loads a graph saved by {@link #save}; fails without side effects on any inconsistency. */
  public static Graph load(Path folder) throws IOException {
    return GraphFile.read(new LocalDirectory(folder.toAbsolutePath()));
  }

  /** All nodes in creation order, which is also a topological order. */
  public synchronized List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public synchronized int size() {
    return nodes.size();
  }

  public synchronized Node node(String name) {
    Node n = byName.get(name);
    if (n == null) {
      throw new AnygraphException("No node named '" + name + "' in the graph");
    }
    return n;
  }

  public synchronized boolean hasNode(String name) {
    return byName.containsKey(name);
  }

  /** The tensor {@code "name"} (output 0) or {@code "name:i"}. */
  public synchronized Tensor tensor(String name) {
    int colon = name.lastIndexOf(':');
    int idx = 0;
    String nodeName = name;
    if (colon > 0 && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      idx = Integer.parseInt(name.substring(colon + 1));
      nodeName = name.substring(0, colon);
    }
    return output(node(nodeName), idx);
  }

  /** Output {@code index} of node {@code n} of this graph (the variable itself for a variable). */
  public synchronized Tensor output(Node n, int index) {
    if (index < 0 || index >= n.outputs().size()) {
      throw new AnygraphException(
          "Node " + n + " has " + n.outputs().size() + " outputs, not " + (index + 1));
    }
    Optional<Variable> v = variables.of(n);
    return v.isPresent() && index == 0 ? v.get() : new Tensor(this, n, index);
  }

  public synchronized List<Variable> variables() {
    return variables.all();
  }

  /** The variable whose node this is, if any. */
  public synchronized Optional<Variable> variableOf(Node node) {
    return variables.of(node);
  }

  private void checkOwned(Tensor t) {
    if (t.graph() != this) {
      throw new AnygraphException("Tensor " + t.name() + " belongs to another graph");
    }
  }

  @Override
  public synchronized String toString() {
    StringBuilder b = new StringBuilder();
    for (Node n : nodes) {
      b.append(n.name()).append(" = ").append(n.op()).append('(');
      for (int i = 0; i < n.inputs().size(); i++) {
        b.append(i > 0 ? ", " : "").append(n.input(i).name());
      }
      b.append(") -> ").append(n.outputs()).append('\n');
    }
    return b.toString();
  }
}
