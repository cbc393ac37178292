package io.anygraph.interop.onnx;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.ops.OpNames;
import io.anygraph.interop.onnx.proto.GraphProto;
import io.anygraph.interop.onnx.proto.ModelProto;
import io.anygraph.interop.onnx.proto.OperatorSetIdProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the inference part of a graph as an ONNX model (opset {@value #OPSET}, IR version {@value
 * #IR_VERSION}), for ONNX Runtime and the other runtimes that read ONNX.
 *
 * <p>The exported graph is the fetches' ancestors, cut at the feeds: each feed (by default each
 * placeholder the fetches need) becomes a graph input named like its node, with its dtype and shape
 * (an unknown dimension as the symbol {@code <input>_d<axis>}); each fetch becomes a graph output
 * named like its node ({@code node:i} for output {@code i > 0}); each variable becomes an
 * initializer holding its value in the given {@link Session} (the values it has now, e.g. after
 * training), or in a checkpoint's values ({@link io.anygraph.core.Checkpoint#read}); constants
 * become initializers too. Control dependencies are not exported.
 *
 * <pre>{@code
 * try (Session s = new Session(g)) {
 *   s.initializeAllVariables();
 *   ... train ...
 *   OnnxExport.write(s, List.of(logits), Path.of("mnist.onnx"));
 * }
 * // Python: onnxruntime.InferenceSession("mnist.onnx").run(None, {"images": x})
 * }</pre>
 *
 * <p>Everything is checked before anything is written: an op without an ONNX mapping ({@link
 * OnnxOpTable}), a training-only op (assign, gradient ops), a placeholder that is needed but not
 * fed, or a variable without a value fails with an {@link OnnxExportException} naming every such
 * node and its op. The file is written to a temporary sibling and renamed into place, so a reader
 * never sees a partial model.
 */
public final class OnnxExport {
  /** The ONNX operator set the table targets (axes are inputs of every reduction since 18). */
  public static final int OPSET = 18;

  /** The IR version that goes with opset 18 (ONNX 1.13). */
  public static final int IR_VERSION = 8;

  /** Ops whose value the model stores (an input or an initializer) rather than computes. */
  private static final Set<String> STORED =
      Set.of(OpNames.PLACEHOLDER, OpNames.VARIABLE, "constant");

  private OnnxExport() {}

  /**
   * Exports with the variables' values in the graph's own session: Theano-style shared variables,
   * or a graph trained through {@code Tensor.eval} and {@code Variable.setValue}.
   */
  public static void write(Graph graph, List<? extends Tensor> fetches, Path path)
      throws IOException {
    write(graph.ownSession(), fetches, null, path);
  }

  /** Exports the fetches with every placeholder they need as an input. */
  public static void write(Session session, List<? extends Tensor> fetches, Path path)
      throws IOException {
    write(session, fetches, null, path);
  }

  /**
   * Exports the fetches with {@code feeds} as the inputs (any tensors, e.g. to cut off a
   * preprocessing part; {@code null}: the placeholders the fetches need).
   */
  public static void write(
      Session session, List<? extends Tensor> fetches, List<? extends Tensor> feeds, Path path)
      throws IOException {
    writeAtomically(model(session, fetches, feeds).toByteArray(), path);
  }

  /** Exports with variable values from a checkpoint ({@code Checkpoint.read}: name → value). */
  public static void write(
      Graph graph,
      Map<String, INDArray> variableValues,
      List<? extends Tensor> fetches,
      List<? extends Tensor> feeds,
      Path path)
      throws IOException {
    writeAtomically(
        model(graph, v -> variableValues.get(v.node().name()), fetches, feeds).toByteArray(), path);
  }

  /** The model {@link #write} would write, variables valued in {@code session}. */
  public static ModelProto model(
      Session session, List<? extends Tensor> fetches, List<? extends Tensor> feeds) {
    return model(
        session.graph(),
        v -> session.isInitialized(v) ? session.variableValue(v) : null,
        fetches,
        feeds);
  }

  static ModelProto model(
      Graph graph,
      Function<Variable, INDArray> values,
      List<? extends Tensor> fetches,
      List<? extends Tensor> feeds) {
    if (fetches.isEmpty()) {
      throw new OnnxExportException("Nothing to export: no fetches");
    }
    Set<Tensor> inputs = new LinkedHashSet<>(feeds == null ? List.of() : feeds);
    List<Node> needed = ancestors(fetches, inputs);
    List<String> problems = new ArrayList<>();
    for (Node n : needed) {
      problem(graph, n, feeds != null, values).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new OnnxExportException(
          "Cannot export to ONNX (nothing was written):\n  " + String.join("\n  ", problems));
    }
    GraphProto.Builder g = GraphProto.newBuilder().setName("anygraph");
    if (feeds == null) {
      needed.stream()
          .filter(n -> n.op().equals(OpNames.PLACEHOLDER))
          .forEach(n -> inputs.add(graph.output(n, 0)));
    }
    for (Tensor t : inputs) {
      g.addInput(OnnxTensors.valueInfo(Lowering.valueName(t), t.dtype(), t.shape()));
    }
    Lowering lowering = new Lowering(g);
    for (Node n : needed) {
      if (n.op().equals(OpNames.VARIABLE)) {
        lowering.lower(n, l -> l.initializer(l.out(), values.apply(graph.variableOf(n).get())));
      } else if (!n.op().equals(OpNames.PLACEHOLDER)) {
        lowering.lower(n, OnnxOpTable.RULES.get(n.op()));
      }
    }
    for (Tensor f : new LinkedHashSet<Tensor>(fetches)) {
      String value = Lowering.valueName(f);
      String name = value;
      if (inputs.contains(f) || STORED.contains(f.op())) {
        // a graph output must be computed by a node: give the value a copy of its own
        name = value + "#out";
        String copy = name;
        lowering.lower(f.node(), l -> l.emit("Identity", List.of(value), copy));
      }
      g.addOutput(OnnxTensors.valueInfo(name, f.dtype(), f.shape()));
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("anygraph")
        .setGraph(g)
        .build();
  }

  /** Nodes the fetches depend on, not looking past the feeds, in graph (topological) order. */
  private static List<Node> ancestors(List<? extends Tensor> fetches, Set<Tensor> feeds) {
    Set<Node> seen = new HashSet<>();
    List<Tensor> stack = new ArrayList<>(fetches);
    while (!stack.isEmpty()) {
      Tensor t = stack.remove(stack.size() - 1);
      if (!feeds.contains(t) && seen.add(t.node())) {
        stack.addAll(t.node().inputs());
      }
    }
    return seen.stream().sorted(Comparator.comparingInt(Node::id)).toList();
  }

  /** Why {@code n} cannot be exported, if it cannot. */
  private static Optional<String> problem(
      Graph graph, Node n, boolean explicitFeeds, Function<Variable, INDArray> values) {
    String op = n.op();
    if (op.equals(OpNames.PLACEHOLDER)) {
      return explicitFeeds
          ? Optional.of(n + ": a placeholder the fetches need, but not among the feeds")
          : Optional.empty();
    }
    if (op.equals(OpNames.VARIABLE)) {
      return values.apply(graph.variableOf(n).orElseThrow()) == null
          ? Optional.of(n + ": a variable without a value (initialize or restore it)")
          : Optional.empty();
    }
    if (OnnxOpTable.TRAINING_ONLY.containsKey(op)) {
      return Optional.of(
          n
              + ": "
              + OnnxOpTable.TRAINING_ONLY.get(op)
              + ", training only: fetch an inference part");
    }
    if (!OnnxOpTable.RULES.containsKey(op)) {
      return Optional.of(n + ": op '" + op + "' has no ONNX mapping");
    }
    return Optional.empty();
  }

  /**
   * Writes {@code bytes} to a temporary sibling of {@code path} (creating its folder), then renames
   * it into place.
   */
  static void writeAtomically(byte[] bytes, Path path) throws IOException {
    Path target = path.toAbsolutePath();
    Path tmp =
        target.resolveSibling(
            "." + target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(target.getParent());
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
