package io.anygraph.local.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.OpContext;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.local.kernels.Buffers;
import io.anygraph.local.kernels.Kernel;
import io.anygraph.local.kernels.KernelContext;
import io.anygraph.local.state.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A compiled instruction list: each step runs one kernel on values in numbered slots. Slots are
 * forgotten after their last use; buffers the program owns are then given back to its pool (if the
 * kernel took them from there) or closed, so memory is reused or released during the run rather
 * than at garbage collection, and a repeated run allocates almost nothing.
 */
public final class Program {
  /**
   * One instruction: a node's kernel, its input slots ({@code -1} for references) and outputs;
   * {@code op} names it in profiles: the node's op, or a fused step's name ({@link Fusion}); {@code
   * types} gives the outputs' types from the concrete inputs where some static shape is not fully
   * known (null: the static types are concrete).
   */
  record Step(
      Node node, String op, Kernel kernel, int[] inputs, int[] outputs, Fusion.Types types) {}

  /**
   * Per step: slots to forget, owned buffers (by root slot) to close, and inputs a kernel may keep
   * as its own (see {@link KernelContext#keepOrCopy}).
   */
  record Lifetimes(int[][] forget, int[][] free, boolean[][] movable) {}

  private final List<Step> steps;
  private final int slots;
  private final Map<Tensor, Integer> feedSlots;
  private final int[] fetchSlots;
  private final int[] roots;
  private final Lifetimes lifetimes;

  /** Per step and output: no step reads it and it is not fetched. */
  private final boolean[][] unused;

  /**
   * Buffer pools between runs; a run takes one, so concurrent runs never share buffers, and gives
   * it back, so each of N threads running the program at once (the shards of a data-parallel step,
   * Spark tasks) finds a warm pool.
   */
  private final ConcurrentLinkedDeque<BufferPool> spare = new ConcurrentLinkedDeque<>();

  Program(
      List<Step> steps,
      int slots,
      Map<Tensor, Integer> feedSlots,
      int[] fetchSlots,
      int[] roots,
      Lifetimes lifetimes) {
    this.steps = steps;
    this.slots = slots;
    this.feedSlots = feedSlots;
    this.fetchSlots = fetchSlots;
    this.roots = roots;
    this.lifetimes = lifetimes;
    this.unused = unusedOutputs(steps, slots, fetchSlots);
  }

  public int size() {
    return steps.size();
  }

  /** The op of step s, or its fused name (tests). */
  String op(int s) {
    return steps.get(s).op();
  }

  /** Whether step s's kernel may keep input i's buffer (tests). */
  boolean movable(int s, int i) {
    return lifetimes.movable()[s][i];
  }

  /** Runs the program. Fetched values never share memory with variables, constants or feeds. */
  public List<INDArray> run(Map<Tensor, INDArray> feeds, RunState state) {
    BufferPool pool = spare.pollFirst();
    if (pool == null) {
      pool = new BufferPool();
    }
    OpProfile profile = OpProfile.current();
    int depth = profile == null ? 0 : profile.depth(); // above 0 inside a control-flow step
    boolean completed = false;
    state.variables().beginRun();
    try {
      List<INDArray> result = run(feeds, state, pool);
      completed = true;
      return result;
    } finally {
      state.variables().endRun();
      pool.endRun();
      spare.offerFirst(pool);
      if (profile != null) {
        profile.endRun(depth, completed);
      }
    }
  }

  private List<INDArray> run(Map<Tensor, INDArray> feeds, RunState state, BufferPool pool) {
    INDArray[] values = new INDArray[slots];
    INDArray[] pooled = new INDArray[slots]; // the pool's buffer a slot holds, if any
    feedSlots.forEach((t, slot) -> values[slot] = feeds.get(t));
    OpProfile profile = OpProfile.current();
    for (int s = 0; s < steps.size(); s++) {
      Step step = steps.get(s);
      long start = 0;
      if (profile != null) {
        profile.beginStep(step.op(), step.node().name());
        start = System.nanoTime();
      }
      INDArray[] in = new INDArray[step.inputs().length];
      for (int i = 0; i < in.length; i++) {
        in[i] = step.inputs()[i] >= 0 ? values[step.inputs()[i]] : null;
      }
      List<TensorType> outTypes =
          step.types() != null ? step.types().of(in) : step.node().outputs();
      StepBuffers lent = new StepBuffers(pool, step.outputs().length);
      KernelContext ctx =
          new KernelContext(
              step.node(), in, outTypes, state, lent, unused[s], lifetimes.movable()[s]);
      INDArray[] out;
      try {
        out = execute(step, ctx, outTypes);
      } finally {
        lent.returnScratch();
      }
      for (int i = 0; i < in.length; i++) {
        if (ctx.kept(i)) { // the kernel owns it now: neither pooled nor closed by this run
          int root = step.inputs()[i];
          pooled[root] = null;
          values[root] = null;
        }
      }
      for (int i = 0; i < out.length; i++) {
        values[step.outputs()[i]] = out[i];
        if (lent.outputs[i] != null) {
          if (lent.outputs[i] != out[i]) {
            throw new IllegalStateException(
                "kernel of op '"
                    + step.node().op()
                    + "' took a buffer"
                    + " for output "
                    + i
                    + " of node '"
                    + step.node().name()
                    + "' but returned another");
          }
          pooled[step.outputs()[i]] = out[i];
        }
      }
      for (int root : lifetimes.free()[s]) {
        if (pooled[root] != null) {
          pool.give(pooled[root]);
          pooled[root] = null;
        } else {
          release(values[root]);
        }
      }
      for (int slot : lifetimes.forget()[s]) {
        values[slot] = null;
      }
      if (profile != null) {
        profile.endStep(step.op(), System.nanoTime() - start);
      }
    }
    List<INDArray> result = new ArrayList<>(fetchSlots.length);
    for (int f : fetchSlots) {
      // values owned elsewhere (variables, constants, feeds) are copied so callers can't alter
      // them; views (transposes, slices, broadcasts) are copied so callers get dense row-major
      // arrays. A pooled buffer that is fetched never goes back to the pool: the caller owns it.
      INDArray v = values[f];
      result.add(roots[f] >= 0 ? Layouts.denseRowMajor(v) : v.dup('c'));
    }
    return result;
  }

  /** The buffers one step borrowed: outputs (kept until their last reader) and scratch. */
  private static final class StepBuffers implements Buffers {
    private final BufferPool pool;
    private final INDArray[] outputs;
    private List<INDArray> scratch;

    StepBuffers(BufferPool pool, int outputs) {
      this.pool = pool;
      this.outputs = new INDArray[outputs];
    }

    @Override
    public INDArray output(int index, DataType type, long[] shape) {
      if (outputs[index] == null) {
        outputs[index] = pool.take(type, shape);
      }
      return outputs[index];
    }

    @Override
    public INDArray scratch(DataType type, long[] shape) {
      INDArray a = pool.take(type, shape);
      if (scratch == null) {
        scratch = new ArrayList<>();
      }
      scratch.add(a);
      return a;
    }

    void returnScratch() {
      if (scratch != null) {
        scratch.forEach(pool::give);
      }
    }
  }

  private static INDArray[] execute(Step step, KernelContext ctx, List<TensorType> outTypes) {
    Node n = step.node();
    INDArray[] out;
    try {
      out = step.kernel().compute(ctx);
    } catch (AnygraphException | ArithmeticException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new AnygraphException(
          "Node '" + n.name() + "' (op " + n.op() + ") failed in ND4J: " + e.getMessage(), e);
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i].dataType() != outTypes.get(i).dtype().nd4j()) {
        throw new IllegalStateException(
            "kernel of op '"
                + n.op()
                + "' returned "
                + out[i].dataType()
                + " for node '"
                + n.name()
                + "', declared "
                + outTypes.get(i));
      }
    }
    return out;
  }

  private static boolean[][] unusedOutputs(List<Step> steps, int slots, int[] fetchSlots) {
    boolean[] read = new boolean[slots];
    for (Step step : steps) {
      for (int in : step.inputs()) {
        if (in >= 0) {
          read[in] = true;
        }
      }
    }
    for (int f : fetchSlots) {
      read[f] = true;
    }
    boolean[][] unused = new boolean[steps.size()][];
    for (int s = 0; s < unused.length; s++) {
      int[] outs = steps.get(s).outputs();
      unused[s] = new boolean[outs.length];
      for (int i = 0; i < outs.length; i++) {
        unused[s][i] = !read[outs[i]];
      }
    }
    return unused;
  }

  /** Re-runs the op's type rule on the concrete input types: one rule checks both times. */
  static List<TensorType> inferConcrete(Node n, INDArray[] in) {
    List<TensorType> types = new ArrayList<>(in.length);
    for (int i = 0; i < in.length; i++) {
      types.add(in[i] == null ? n.input(i).type() : concreteType(in[i]));
    }
    return infer(n, types);
  }

  /** The type of a value. */
  static TensorType concreteType(INDArray a) {
    return new TensorType(DType.fromNd4j(a.dataType()), Shape.of(a.shape()));
  }

  /** The op's type rule for node n on the given input types. */
  static List<TensorType> infer(Node n, List<TensorType> types) {
    return OpRegistry.get(n.op())
        .infer(new OpContext(n.name(), n.op(), types, n.attrs(), List.of()));
  }

  private static void release(INDArray a) {
    if (a != null && a.closeable()) {
      a.close();
    }
  }
}
