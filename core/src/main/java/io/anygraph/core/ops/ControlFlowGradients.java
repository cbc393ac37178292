package io.anygraph.core.ops;

import static io.anygraph.core.ops.ControlFlowOpDefs.BODY;
import static io.anygraph.core.ops.ControlFlowOpDefs.CARRIES;
import static io.anygraph.core.ops.ControlFlowOpDefs.ELSE;
import static io.anygraph.core.ops.ControlFlowOpDefs.MAXIMUM_ITERATIONS;
import static io.anygraph.core.ops.ControlFlowOpDefs.REVERSE;
import static io.anygraph.core.ops.ControlFlowOpDefs.SEEDED;
import static io.anygraph.core.ops.ControlFlowOpDefs.SEQUENCES;
import static io.anygraph.core.ops.ControlFlowOpDefs.STACKED;
import static io.anygraph.core.ops.ControlFlowOpDefs.THEN;

import io.anygraph.core.Attrs;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Subgraph;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.autodiff.Autodiff;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Gradients of {@code cond} and {@code whileLoop}, themselves built as {@code cond} and {@code
 * whileLoop} ops so that they can be differentiated again.
 *
 * <p>A cond's gradient is a cond on the same predicate whose branches are each branch's
 * vector-Jacobian product, replayed with the forward cond's seed. A loop's gradient is a loop over
 * the forward loop's history (the loop variables at the start of every step, a stack the forward
 * loop keeps when someone reads it), walked in reverse: each step replays the body on that step's
 * values (with the same random seed and position, so random ops draw the same numbers) and pulls
 * the carried gradient back through it, summing the gradients of the values the body reads from
 * outside.
 */
final class ControlFlowGradients {
  private ControlFlowGradients() {}

  static List<Tensor> cond(GradContext c) {
    Node node = c.node();
    int end = c.inputs().size() - (node.attrs().getBool(SEEDED, false) ? 1 : 0);
    List<Tensor> captures = c.inputs().subList(1, end);
    int[] wrt = floating(captures);
    int[] outs = floating(c.outputs());
    List<Tensor> grads = new ArrayList<>(nulls(c.inputs().size()));
    if (wrt.length == 0 || outs.length == 0) {
      return grads;
    }
    List<TensorType> dyTypes = new ArrayList<>();
    List<Tensor> inputs = new ArrayList<>(c.inputs().subList(0, end));
    for (int j : outs) {
      dyTypes.add(c.outputs().get(j).type());
      inputs.add(c.upstream().get(j));
    }
    inputs.add(c.outputs().get(c.outputs().size() - 1)); // replay the forward branch's draws
    Attrs attrs =
        Attrs.of(
            THEN, branchGradient(node.attrs().getSubgraph(THEN), wrt, outs, dyTypes),
            ELSE, branchGradient(node.attrs().getSubgraph(ELSE), wrt, outs, dyTypes),
            SEEDED, true);
    Graph g = c.x(0).graph();
    List<Tensor> dx = g.add(ControlFlowOpDefs.COND_OP, inputs, attrs, "cond_grad");
    for (int i = 0; i < wrt.length; i++) {
      grads.set(1 + wrt[i], dx.get(i));
    }
    return grads;
  }

  /** The branch, then its VJP: inputs are the captures and the upstream gradients. */
  private static Subgraph branchGradient(
      Subgraph branch, int[] wrt, int[] outs, List<TensorType> dyTypes) {
    Graph g = new Graph();
    Map<Tensor, Tensor> copy = copy(branch, g);
    List<Tensor> inputs = new ArrayList<>(mapped(copy, branch.inputs()));
    List<Tensor> ys = new ArrayList<>();
    List<Tensor> dys = new ArrayList<>();
    for (int j = 0; j < outs.length; j++) {
      TensorType t = dyTypes.get(j);
      Tensor dy = g.placeholder(t.dtype(), t.shape(), "upstream");
      inputs.add(dy);
      ys.add(copy.get(branch.outputs().get(outs[j])));
      dys.add(dy);
    }
    List<Tensor> xs = pick(mapped(copy, branch.inputs()), wrt);
    return new Subgraph(g, inputs, vjp(ys, xs, dys));
  }

  static List<Tensor> whileLoop(GradContext c) {
    Node node = c.node();
    Attrs a = node.attrs();
    ControlFlowOpDefs.Layout l = ControlFlowOpDefs.Layout.of(a, node.inputs().size());
    Subgraph body = a.getSubgraph(BODY);
    int n = l.carries();
    int s = l.sequences();
    List<Tensor> ins = node.inputs();
    List<Tensor> carries = ins.subList(0, n);
    List<Tensor> seqs = ins.subList(n, n + s);
    List<Tensor> captures = ins.subList(l.firstCapture(), l.firstCapture() + l.captures());
    int[] fc = floating(carries);
    int[] fs = floating(seqs);
    int[] fm = floating(captures);
    int[] fy = floating(c.outputs().subList(l.firstStacked(), l.firstStacked() + l.stacked()));
    List<Tensor> grads = new ArrayList<>(nulls(ins.size()));
    if (fc.length + fs.length + fm.length == 0) {
      return grads;
    }

    // the gradient body: the forward body replayed, then pulled back
    Graph gb = new Graph();
    Map<Tensor, Tensor> copy = copy(body, gb);
    List<Tensor> bodyIns = mapped(copy, body.inputs());
    List<Tensor> pv = bodyIns.subList(0, n);
    List<Tensor> px = bodyIns.subList(n, n + s);
    List<Tensor> pc = bodyIns.subList(n + s, bodyIns.size());
    List<Tensor> outs = mapped(copy, body.outputs());
    List<Tensor> gCarry = placeholders(gb, pick(pv, fc), "grad_carry");
    List<Tensor> gCapture = placeholders(gb, pick(pc, fm), "grad_capture");
    List<Tensor> dStacked =
        placeholders(gb, pick(outs.subList(n, outs.size()), fy), "grad_stacked");
    List<Tensor> dHistory = placeholders(gb, pick(pv, fc), "grad_history");
    List<Tensor> ys = new ArrayList<>(pick(outs.subList(0, n), fc));
    ys.addAll(pick(outs.subList(n, outs.size()), fy));
    List<Tensor> dys = new ArrayList<>(gCarry);
    dys.addAll(dStacked);
    List<Tensor> xs = new ArrayList<>(pick(pv, fc));
    xs.addAll(pick(px, fs));
    xs.addAll(pick(pc, fm));
    List<Tensor> pulled = vjp(ys, xs, dys);
    List<Tensor> next = new ArrayList<>();
    for (int i = 0; i < fc.length; i++) {
      next.add(gb.ops().add(pulled.get(i), dHistory.get(i)));
    }
    for (int j = 0; j < fm.length; j++) {
      next.add(gb.ops().add(gCapture.get(j), pulled.get(fc.length + fs.length + j)));
    }
    next.addAll(pulled.subList(fc.length, fc.length + fs.length));
    List<Tensor> gbIns = new ArrayList<>(gCarry);
    gbIns.addAll(gCapture);
    gbIns.addAll(pv);
    gbIns.addAll(px);
    gbIns.addAll(dStacked);
    gbIns.addAll(dHistory);
    gbIns.addAll(pc);
    Subgraph gradBody = new Subgraph(gb, gbIns, next);

    // the gradient loop, walking the forward loop's steps backwards
    Graph g = c.x(0).graph();
    List<Tensor> up = c.upstream();
    List<Tensor> inputs = new ArrayList<>(pick(up.subList(0, n), fc));
    for (int j : fm) {
      inputs.add(c.ops().zerosLike(captures.get(j)));
    }
    inputs.addAll(c.outputs().subList(l.firstHistory(), l.firstHistory() + n));
    inputs.addAll(seqs);
    inputs.addAll(pick(up.subList(l.firstStacked(), l.firstStacked() + l.stacked()), fy));
    inputs.addAll(pick(up.subList(l.firstHistory(), l.firstHistory() + n), fc));
    inputs.addAll(captures);
    inputs.add(c.outputs().get(l.seedOutput()));
    Attrs attrs =
        Attrs.of(
            BODY,
            gradBody,
            CARRIES,
            fc.length + fm.length,
            SEQUENCES,
            n + s + fy.length + fc.length,
            STACKED,
            fs.length,
            MAXIMUM_ITERATIONS,
            -1L,
            REVERSE,
            !a.getBool(REVERSE, false),
            SEEDED,
            true);
    List<Tensor> back = g.add(ControlFlowOpDefs.WHILE_OP, inputs, attrs, "while_grad");
    for (int i = 0; i < fc.length; i++) {
      grads.set(fc[i], back.get(i));
    }
    for (int j = 0; j < fm.length; j++) {
      grads.set(l.firstCapture() + fm[j], back.get(fc.length + j));
    }
    int stacked = fc.length + fm.length;
    for (int j = 0; j < fs.length; j++) {
      grads.set(n + fs[j], back.get(stacked + j));
    }
    return grads;
  }

  /** d(ys · dys)/dxs inside one body graph; zeros for an x no y depends on. */
  private static List<Tensor> vjp(List<Tensor> ys, List<Tensor> xs, List<Tensor> dys) {
    if (xs.isEmpty()) {
      return List.of();
    }
    if (ys.isEmpty()) {
      return xs.stream().map(x -> x.graph().ops().zerosLike(x)).toList();
    }
    return Autodiff.gradientsOrZeros(ys, xs, dys);
  }

  /** Copies every node of {@code sub} into {@code target} under its own name. */
  private static Map<Tensor, Tensor> copy(Subgraph sub, Graph target) {
    Graph from = sub.graph();
    Map<Tensor, Tensor> out = new HashMap<>();
    Map<Node, Node> nodes = new HashMap<>();
    for (Node nd : from.nodes()) {
      List<Tensor> ins = nd.inputs().stream().map(out::get).toList();
      List<Node> controls = nd.controlInputs().stream().map(nodes::get).toList();
      Node copied = target.insert(nd.name(), nd.op(), ins, nd.attrs(), nd.device(), controls);
      nodes.put(nd, copied);
      for (int i = 0; i < nd.outputs().size(); i++) {
        out.put(from.output(nd, i), target.output(copied, i));
      }
    }
    return out;
  }

  private static List<Tensor> mapped(Map<Tensor, Tensor> copy, List<Tensor> ts) {
    return ts.stream().map(copy::get).toList();
  }

  private static List<Tensor> placeholders(Graph g, List<Tensor> like, String name) {
    return like.stream().map(t -> g.placeholder(t.dtype(), t.shape(), name)).toList();
  }

  private static int[] floating(List<Tensor> ts) {
    return IntStream.range(0, ts.size()).filter(i -> ts.get(i).dtype().isFloating()).toArray();
  }

  private static List<Tensor> pick(List<Tensor> ts, int[] idx) {
    return Arrays.stream(idx).mapToObj(ts::get).toList();
  }

  private static List<Tensor> nulls(int count) {
    List<Tensor> l = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      l.add(null);
    }
    return l;
  }
}
