package io.anygraph.interop.tf;

import io.anygraph.core.Attrs;
import io.anygraph.core.Graph;
import io.anygraph.core.Ops;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an op mapping sees of one TensorFlow node: its imported inputs, the values of those known
 * while importing, its attributes, and builders that keep the node's TensorFlow name.
 *
 * <p>The mapping's last op gets the node's exact name ({@link #op}, {@link #named}); ops it needs
 * on the way are built inside the scope {@code name/} ({@link #inner}), so they never take a name
 * that a later TensorFlow node owns.
 */
final class TfOpContext {
  final Graph g;
  final TfNode node;
  private final List<Tensor> inputs;
  private final List<Folded> folded;
  private final GraphImporter importer;

  TfOpContext(
      Graph g, TfNode node, List<Tensor> inputs, List<Folded> folded, GraphImporter importer) {
    this.g = g;
    this.node = node;
    this.inputs = inputs;
    this.folded = folded;
    this.importer = importer;
  }

  int arity() {
    return inputs.size();
  }

  Tensor in(int i) {
    if (i >= inputs.size()) {
      throw fail("needs input " + i + " but has " + inputs.size());
    }
    return inputs.get(i);
  }

  List<Tensor> ins() {
    return inputs;
  }

  /**
   * What is known of input {@code i} while importing, else null: for folders, so may be partial
   * (NaN where a value is known only when run, e.g. the batch size in a {@code Shape}).
   */
  Folded folded(int i) {
    return i < folded.size() ? folded.get(i) : null;
  }

  /** The value of input {@code i} when fully known while importing, else null. */
  Folded known(int i) {
    Folded f = folded(i);
    return f == null || f.isPartial() ? null : f;
  }

  /** Input {@code i} as integers known while importing (axes, shapes, paddings). */
  long[] constInts(int i, String what) {
    Folded f = known(i);
    if (f == null) {
      throw fail(
          "its "
              + what
              + " (input "
              + i
              + ", "
              + in(i).name()
              + ") must be a constant or shape arithmetic on constants");
    }
    return f.longs();
  }

  /** The last name segment: the node's name within its scope. */
  String baseName() {
    String n = node.name();
    return n.substring(n.lastIndexOf('/') + 1);
  }

  /** The Anygraph op {@code op}, named exactly as the TensorFlow node. */
  Tensor op(String op, Attrs attrs, Tensor... ins) {
    return g.add(op, List.of(ins), attrs, baseName()).get(0);
  }

  /** {@code t} under the node's exact name (an identity when {@code t} was built on the way). */
  Tensor named(Tensor t) {
    return t.node().name().equals(node.name()) ? t : op("identity", Attrs.empty(), t);
  }

  /** Builds helper ops inside the scope {@code name/}. */
  <T> T inner(Supplier<T> build) {
    try (var s = g.nameScope(node.name() + "/")) {
      return build.get();
    }
  }

  /** Builds one expression inside {@code name/} and names its result exactly. */
  Tensor composite(Supplier<Tensor> build) {
    return named(inner(build));
  }

  Ops ops() {
    return g.ops();
  }

  /** The variable that input {@code i} refers to (a VariableV2 or a VarHandleOp's resource). */
  Variable variable(int i) {
    return g.variableOf(in(i).node())
        .orElseThrow(() -> fail("input " + i + " (" + in(i).name() + ") is not a variable"));
  }

  GraphImporter importer() {
    return importer;
  }

  INDArray attrTensor(String name) {
    return node.tensor(name);
  }

  /** An error naming this node, its op and its inputs' types. */
  GraphImportException fail(String message) {
    StringBuilder b = new StringBuilder(node.where()).append(": ").append(message);
    if (!inputs.isEmpty()) {
      b.append(" (inputs:");
      for (Tensor t : inputs) {
        b.append(' ').append(t.name()).append(' ').append(t.type());
      }
      b.append(')');
    }
    return new GraphImportException(b.toString());
  }
}
