package io.anygraph.partition.sharding;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a sharding rule sees of one node: its op, attributes, input and output types, and how each
 * input is spread. A rule that needs an input whole calls {@link #whole}: the propagation then puts
 * an all-reduce (partial) or all-gather (sharded) boundary before it.
 */
public final class RuleContext {
  private final String op;
  private final Attrs attrs;
  private final List<Tensor> inputs;
  private final List<TensorType> outputs;
  private final List<Sharding> in;
  private final boolean[] whole;

  RuleContext(
      String op, Attrs attrs, List<Tensor> inputs, List<TensorType> outputs, List<Sharding> in) {
    this.op = op;
    this.attrs = attrs;
    this.inputs = inputs;
    this.outputs = outputs;
    this.in = in;
    this.whole = new boolean[in.size()];
  }

  /** A fresh context for the same node with other input shardings (nothing marked whole). */
  RuleContext withInputs(List<Sharding> shardings) {
    return new RuleContext(op, attrs, inputs, outputs, shardings);
  }

  public String op() {
    return op;
  }

  public Attrs attrs() {
    return attrs;
  }

  public int inputs() {
    return in.size();
  }

  public Sharding in(int i) {
    return whole[i] ? Sharding.REPLICATED : in.get(i);
  }

  /** Input {@code i} itself (rules that look at what produced it). */
  Tensor input(int i) {
    return inputs.get(i);
  }

  public DType dtype(int i) {
    return inputs.get(i).dtype();
  }

  public Shape shape(int i) {
    return inputs.get(i).shape();
  }

  /** The input's rank, or -1 when unknown. */
  public int rank(int i) {
    Shape s = shape(i);
    return s.hasRank() ? s.rank() : -1;
  }

  /** Rank of output {@code o}, or -1 when unknown. */
  public int outRank(int o) {
    Shape s = outputs.get(o).shape();
    return s.hasRank() ? s.rank() : -1;
  }

  public int outputCount() {
    return outputs.size();
  }

  /** Input {@code i} is needed whole; returns the sharding it then has (replicated). */
  public Sharding whole(int i) {
    if (!in.get(i).isReplicated()) {
      whole[i] = true;
    }
    return Sharding.REPLICATED;
  }

  /** Every input whole, every output replicated: the rule that is always correct. */
  public List<Sharding> wholeAll() {
    for (int i = 0; i < in.size(); i++) {
      whole(i);
    }
    return replicated();
  }

  /** Every output replicated. */
  public List<Sharding> replicated() {
    return Collections.nCopies(outputs.size(), Sharding.REPLICATED);
  }

  public boolean needsWhole(int i) {
    return whole[i];
  }

  public boolean anyNotReplicated() {
    for (int i = 0; i < in.size(); i++) {
      if (!in(i).isReplicated()) {
        return true;
      }
    }
    return false;
  }

  public boolean all(Sharding.Kind kind) {
    for (int i = 0; i < in.size(); i++) {
      if (in(i).kind() != kind) {
        return false;
      }
    }
    return true;
  }

  /** Attribute axes normalized against {@code rank} (empty attribute: every axis). */
  public List<Integer> axes(String name, int rank) {
    List<Integer> out = new ArrayList<>();
    long[] axes = attrs.has(name) ? attrs.getLongs(name) : new long[0];
    if (axes.length == 0) {
      for (int a = 0; a < rank; a++) {
        out.add(a);
      }
    }
    for (long a : axes) {
      out.add((int) (a < 0 ? a + rank : a));
    }
    return out;
  }

  /** A single-axis attribute normalized against {@code rank}. */
  public int axis(String name, long dflt, int rank) {
    long a = attrs.getLong(name, dflt);
    return (int) (a < 0 ? a + rank : a);
  }
}
