package io.anygraph.core;

import static io.anygraph.core.ops.ControlFlowOpDefs.BODY;
import static io.anygraph.core.ops.ControlFlowOpDefs.CARRIES;
import static io.anygraph.core.ops.ControlFlowOpDefs.COND;
import static io.anygraph.core.ops.ControlFlowOpDefs.ELSE;
import static io.anygraph.core.ops.ControlFlowOpDefs.MAXIMUM_ITERATIONS;
import static io.anygraph.core.ops.ControlFlowOpDefs.SEQUENCES;
import static io.anygraph.core.ops.ControlFlowOpDefs.STACKED;
import static io.anygraph.core.ops.ControlFlowOpDefs.THEN;

import io.anygraph.core.ops.ControlFlowOpDefs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Control flow as ops that hold nested graphs (TensorFlow's control flow v2, Theano's {@code
 * ifelse} and {@code scan}). Each function passed in is traced once into a body graph with its own
 * placeholders; outer tensors it reads become explicit inputs of the node. Gradients of these ops
 * are again {@code cond} and {@code whileLoop} ops, so they can be differentiated again.
 *
 * <pre>{@code
 * ControlFlow cf = g.control();
 * Tensor y = cf.cond(g.ops().greater(x.sum(), zero), () -> x.mul(2.0), () -> x.neg());
 * Tensor p = cf.whileLoop(
 *     v -> g.ops().less(v.get(0), limit),      // v: the loop variables
 *     v -> List.of(v.get(0).mul(v.get(0))),    // the body returns their next values
 *     List.of(x)).get(0);
 * Tensor hs = cf.scan(                         // h_t = tanh(x_t W + h_{t-1} U)
 *     (xt, h, w) -> List.of(g.nn().tanh(xt.get(0).matmul(w.get(0)).add(h.get(0).matmul(w.get(1))))),
 *     List.of(xs), List.of(h0), List.of(wx, wh)).get(0);
 * }</pre>
 */
public final class ControlFlow {
  private final Graph graph;

  ControlFlow(Graph graph) {
    this.graph = graph;
  }

  /** Theano's scan step: this step's slices of the sequences, the previous outputs, the rest. */
  @FunctionalInterface
  public interface ScanStep {
    List<Tensor> step(List<Tensor> slices, List<Tensor> previous, List<Tensor> nonSequences);
  }

  /** {@code tf.cond} with one output: runs only the branch {@code pred} (a bool scalar) picks. */
  public Tensor cond(Tensor pred, Supplier<Tensor> trueFn, Supplier<Tensor> falseFn) {
    return condAll(pred, () -> List.of(trueFn.get()), () -> List.of(falseFn.get())).get(0);
  }

  /** {@code tf.cond} with several outputs; both branches return the same dtypes and shapes. */
  public List<Tensor> condAll(
      Tensor pred, Supplier<List<Tensor>> trueFn, Supplier<List<Tensor>> falseFn) {
    Graph here = Nesting.innermost(graph);
    Traced t = Traced.of(here, List.of(), args -> trueFn.get());
    Traced f = Traced.of(here, List.of(), args -> falseFn.get());
    List<Tensor> captured = unifyCaptures(List.of(t, f));
    List<Tensor> inputs = new ArrayList<>(List.of(pred));
    inputs.addAll(captured);
    Attrs attrs = Attrs.of(THEN, t.subgraph(captured), ELSE, f.subgraph(captured));
    List<Tensor> out = here.add(ControlFlowOpDefs.COND_OP, inputs, attrs, null);
    return out.subList(0, out.size() - 1); // the last output is the branch's random seed
  }

  /** {@code tf.while_loop}: repeats {@code body} while {@code cond} holds; the final values. */
  public List<Tensor> whileLoop(
      Function<List<Tensor>, Tensor> cond,
      Function<List<Tensor>, List<Tensor>> body,
      List<Tensor> loopVars) {
    return whileLoop(cond, body, loopVars, -1);
  }

  /**
   * {@code tf.while_loop} stopping after at most {@code maximumIterations} (-1: no limit). A loop
   * variable may change its dimensions between iterations (they become unknown), never its dtype or
   * rank.
   */
  public List<Tensor> whileLoop(
      Function<List<Tensor>, Tensor> cond,
      Function<List<Tensor>, List<Tensor>> body,
      List<Tensor> loopVars,
      long maximumIterations) {
    if (loopVars.isEmpty()) {
      throw new AnygraphException("whileLoop needs at least one loop variable");
    }
    Graph here = Nesting.innermost(graph);
    List<TensorType> types = loopVars.stream().map(Tensor::type).toList();
    Traced b = Traced.of(here, types, body);
    List<TensorType> relaxed = relax(types, b.results());
    if (!relaxed.equals(types)) { // a variable's dimensions change: trace again with them unknown
      types = relaxed;
      b = Traced.of(here, types, body);
    }
    Traced c = Traced.of(here, types, vars -> List.of(cond.apply(vars)));
    List<Tensor> captured = unifyCaptures(List.of(c, b));
    List<Tensor> inputs = new ArrayList<>(loopVars);
    inputs.addAll(captured);
    Attrs attrs =
        Attrs.of(
            COND,
            c.subgraph(captured),
            BODY,
            b.subgraph(captured),
            CARRIES,
            loopVars.size(),
            SEQUENCES,
            0,
            STACKED,
            0,
            MAXIMUM_ITERATIONS,
            maximumIterations);
    return here.add(ControlFlowOpDefs.WHILE_OP, inputs, attrs, null).subList(0, loopVars.size());
  }

  /**
   * Theano's {@code scan}: for each t, {@code outputs_t = fn(sequences[t], outputs_{t-1},
   * nonSequences)}, starting from {@code outputsInfo}; returns each output stacked along a new axis
   * 0. Every sequence is sliced along axis 0, and all must have the same length.
   */
  public List<Tensor> scan(
      ScanStep fn, List<Tensor> sequences, List<Tensor> outputsInfo, List<Tensor> nonSequences) {
    if (sequences.isEmpty() || outputsInfo.isEmpty()) {
      throw new AnygraphException("scan needs at least one sequence and one output");
    }
    long length = Shape.UNKNOWN;
    List<TensorType> sliceTypes = new ArrayList<>();
    for (Tensor s : sequences) {
      Shape sh = s.shape();
      if (!sh.hasRank() || sh.rank() == 0) {
        throw new ShapeException(
            "scan: sequence " + s.name() + " " + s.type() + " needs rank >= 1 (sliced on axis 0)");
      }
      long d = sh.dim(0);
      if (d != Shape.UNKNOWN && length != Shape.UNKNOWN && d != length) {
        throw new ShapeException(
            "scan: sequences have different lengths: "
                + sequences.stream().map(t -> t.name() + " " + t.type()).toList());
      }
      length = d == Shape.UNKNOWN ? length : d;
      long[] dims = sh.dims();
      sliceTypes.add(new TensorType(s.dtype(), Shape.of(Arrays.copyOfRange(dims, 1, dims.length))));
    }
    int n = outputsInfo.size();
    Graph here = Nesting.innermost(graph);
    List<TensorType> types = outputsInfo.stream().map(Tensor::type).toList();
    Function<List<TensorType>, Traced> traceWith =
        carryTypes -> {
          List<TensorType> params = new ArrayList<>(carryTypes);
          params.addAll(sliceTypes);
          return Traced.of(
              here,
              params,
              args -> {
                List<Tensor> outs =
                    fn.step(args.subList(n, args.size()), args.subList(0, n), nonSequences);
                List<Tensor> both = new ArrayList<>(outs);
                both.addAll(outs); // the next carries, and the values stacked per step
                return both;
              });
        };
    Traced b = traceWith.apply(types);
    List<TensorType> relaxed = relax(types, b.results());
    if (!relaxed.equals(types)) {
      b = traceWith.apply(relaxed);
    }
    List<Tensor> captured = unifyCaptures(List.of(b));
    List<Tensor> inputs = new ArrayList<>(outputsInfo);
    inputs.addAll(sequences);
    inputs.addAll(captured);
    Attrs attrs =
        Attrs.of(
            BODY,
            b.subgraph(captured),
            CARRIES,
            n,
            SEQUENCES,
            sequences.size(),
            STACKED,
            n,
            MAXIMUM_ITERATIONS,
            -1L);
    return here.add(ControlFlowOpDefs.WHILE_OP, inputs, attrs, "scan").subList(n, 2 * n);
  }

  /**
   * Loop-variable types that admit what the body returns: dimensions that change become unknown. A
   * changed dtype or rank is left for the op's type rule to report.
   */
  private static List<TensorType> relax(List<TensorType> types, List<Tensor> results) {
    List<TensorType> out = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      TensorType t = types.get(i);
      if (i >= results.size()) {
        out.add(t);
        continue;
      }
      Shape r = results.get(i).shape();
      Shape s = t.shape();
      if (results.get(i).dtype() != t.dtype() || !s.hasRank() || s.accepts(r) && sameKnown(s, r)) {
        out.add(t);
      } else if (!r.hasRank()) {
        out.add(new TensorType(t.dtype(), Shape.unknownRank()));
      } else if (r.rank() != s.rank()) {
        out.add(t);
      } else {
        long[] d = s.dims();
        for (int k = 0; k < d.length; k++) {
          if (d[k] != r.dim(k)) {
            d[k] = Shape.UNKNOWN;
          }
        }
        out.add(new TensorType(t.dtype(), Shape.of(d)));
      }
    }
    return out;
  }

  /** Whether every dimension the declared shape fixes is the same in {@code r}. */
  private static boolean sameKnown(Shape s, Shape r) {
    if (!r.hasRank()) {
      return false;
    }
    for (int k = 0; k < s.rank(); k++) {
      if (s.dim(k) != Shape.UNKNOWN && s.dim(k) != r.dim(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The outer tensors all bodies read, in one order; each body gets a placeholder for every one.
   */
  private static List<Tensor> unifyCaptures(List<Traced> bodies) {
    List<Tensor> all = new ArrayList<>();
    for (Traced t : bodies) {
      for (Tensor outer : t.graph().nesting.captures().keySet()) {
        if (!all.contains(outer)) {
          all.add(outer);
        }
      }
    }
    return all;
  }

  /** A traced body: its graph, parameter placeholders and results. */
  private record Traced(Graph graph, List<Tensor> params, List<Tensor> results) {

    static Traced of(
        Graph here, List<TensorType> paramTypes, Function<List<Tensor>, List<Tensor>> fn) {
      Graph body = new Graph();
      body.nesting.nestIn(here);
      List<Tensor> params = new ArrayList<>();
      for (TensorType t : paramTypes) {
        params.add(body.placeholder(t.dtype(), t.shape(), "arg"));
      }
      List<Tensor> returned = here.nesting.trace(body, () -> fn.apply(List.copyOf(params)));
      List<Tensor> results = new ArrayList<>();
      for (Tensor r : returned) {
        if (r == null) {
          throw new AnygraphException("A cond branch or loop body returned null");
        }
        results.add(body.nesting.capture(r)); // an outer tensor returned as is
      }
      return new Traced(body, params, results);
    }

    /** The body as a node attribute: parameters, then a placeholder per capture in order. */
    Subgraph subgraph(List<Tensor> captured) {
      List<Tensor> inputs = new ArrayList<>(params);
      for (Tensor outer : captured) {
        inputs.add(graph.nesting.capture(outer));
      }
      return new Subgraph(graph, inputs, results);
    }
  }
}
