package io.anygraph.local.kernels;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a libnd4j custom op into given output arrays through a native op context kept per thread
 * and call signature. ND4J's plain {@code Nd4j.exec(op)} builds a new native context for every
 * call (a native allocation, a random UUID and a deallocator registration, ~10 µs), which
 * dominates tiny ops; a kept context costs only the pointer updates.
 *
 * <p>A context is keyed by op name and the number of inputs, outputs and arguments, so every
 * slot it holds is overwritten on each call and nothing stale from an earlier call survives.
 */
final class NativeCall {
  private record Signature(String op, int inputs, int outputs, int ints, int doubles, int bools) {}

  /** A kept context, its op, and the arguments last written into it. */
  private static final class Entry {
    final DynamicCustomOp op;
    final OpContext context;
    long[] ints = new long[0];
    double[] doubles = new double[0];
    boolean[] bools = new boolean[0];

    Entry(String op) {
      this.op = DynamicCustomOp.builder(op).build();
      this.context = Nd4j.getExecutioner().buildContext();
    }
  }

  private static final ThreadLocal<Map<Signature, Entry>> KEPT = ThreadLocal.withInitial(HashMap::new);
  private static final long[] NO_INTS = {};
  private static final double[] NO_DOUBLES = {};
  private static final boolean[] NO_BOOLS = {};

  private NativeCall() {}

  /** Runs {@code op} on {@code inputs} into {@code outputs} (every output given). */
  static void exec(String op, INDArray[] inputs, INDArray... outputs) {
    exec(op, inputs, outputs, NO_INTS, NO_DOUBLES, NO_BOOLS);
  }

  /** As {@link #exec(String, INDArray[], INDArray...)}, with integer arguments. */
  static void execInts(String op, INDArray[] inputs, INDArray[] outputs, long... ints) {
    exec(op, inputs, outputs, ints, NO_DOUBLES, NO_BOOLS);
  }

  static void exec(String op, INDArray[] inputs, INDArray[] outputs, long[] ints, double[] doubles,
      boolean[] bools) {
    Signature sig = new Signature(op, inputs.length, outputs.length, ints.length, doubles.length,
        bools.length);
    Entry e = KEPT.get().computeIfAbsent(sig, s -> new Entry(s.op()));
    OpContext ctx = e.context;
    if (!Arrays.equals(e.ints, ints)) {
      ctx.setIArguments(ints);
      e.ints = ints.clone();
    }
    if (!Arrays.equals(e.doubles, doubles)) {
      ctx.setTArguments(doubles);
      e.doubles = doubles.clone();
    }
    if (!Arrays.equals(e.bools, bools)) {
      ctx.setBArguments(bools);
      e.bools = bools.clone();
    }
    for (int i = 0; i < inputs.length; i++) {
      ctx.setInputArray(i, inputs[i]);
    }
    for (int i = 0; i < outputs.length; i++) {
      ctx.setOutputArray(i, outputs[i]);
    }
    Nd4j.getExecutioner().exec(e.op, ctx);
  }
}
