package io.anygraph.local.kernels;

import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.BooleanPointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.LongPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.nativeblas.OpaqueContext;

/**
 * Runs a libnd4j custom op into given output arrays through a native op context that lives for
 * exactly one call: created, filled, executed and deleted here.
 *
 * <p>Why not ND4J's own contexts: {@code Nd4j.exec(op)} builds a Java {@code CpuOpContext} per call
 * (a random UUID and a deallocator registration, ~10 µs), and keeping one instead leaks: every
 * array set into a libnd4j context is wrapped in a native handle that holds a reference to the
 * array's buffer until the context is deleted, and ND4J deletes a context only when the garbage
 * collector finds it ({@code CpuOpContext.close()} does nothing, {@code purge()} keeps the
 * handles). A kept context therefore retained every buffer that ever passed through it (issue 16:
 * ~365 KB per MNIST step). Creating and deleting the bare native context is a few hundred
 * nanoseconds and frees the handles at once.
 */
final class NativeCall {
  private static final NativeOps NATIVE = NativeOpsHolder.getInstance().getDeviceNativeOps();

  /** libnd4j identifies a custom op by the hash of its name. */
  private static final ConcurrentHashMap<String, Long> HASHES = new ConcurrentHashMap<>();

  /** Argument memory per thread, reused: libnd4j copies arguments out of it. */
  private static final ThreadLocal<Arguments> ARGUMENTS = ThreadLocal.withInitial(Arguments::new);

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

  static void exec(
      String op,
      INDArray[] inputs,
      INDArray[] outputs,
      long[] ints,
      double[] doubles,
      boolean[] bools) {
    long hash = HASHES.computeIfAbsent(op, name -> DynamicCustomOp.builder(name).build().opHash());
    OpaqueContext ctx = NATIVE.createGraphContext(1);
    try {
      ARGUMENTS.get().set(ctx, ints, doubles, bools);
      for (int i = 0; i < inputs.length; i++) {
        INDArray a = inputs[i];
        NATIVE.setGraphContextInputBuffer(
            ctx,
            i,
            a.isEmpty() ? null : NativeBuffers.opaque(a),
            a.shapeInfoDataBuffer().addressPointer(),
            NativeBuffers.deviceShapeInfo(a));
      }
      for (int i = 0; i < outputs.length; i++) {
        INDArray a = outputs[i];
        NATIVE.setGraphContextOutputBuffer(
            ctx,
            i,
            a.isEmpty() ? null : NativeBuffers.opaque(a),
            a.shapeInfoDataBuffer().addressPointer(),
            NativeBuffers.deviceShapeInfo(a));
      }
      int status = NATIVE.execCustomOp2(null, hash, ctx);
      if (status != 0 || NATIVE.lastErrorCode() != 0) {
        throw new IllegalStateException(
            "libnd4j op '" + op + "' failed (status " + status + "): " + NATIVE.lastErrorMessage());
      }
    } finally {
      NATIVE.deleteGraphContext(ctx);
    }
  }

  /** Native memory for one call's arguments, grown when a call needs more. */
  private static final class Arguments {
    private LongPointer ints = new LongPointer(8);
    private DoublePointer doubles = new DoublePointer(4);
    private BooleanPointer bools = new BooleanPointer(4);

    void set(OpaqueContext ctx, long[] i, double[] d, boolean[] b) {
      if (i.length > 0) {
        if (i.length > ints.capacity()) {
          ints = new LongPointer(i.length);
        }
        ints.put(i, 0, i.length);
        NATIVE.setGraphContextIArguments(ctx, ints, i.length);
      }
      if (d.length > 0) {
        if (d.length > doubles.capacity()) {
          doubles = new DoublePointer(d.length);
        }
        doubles.put(d, 0, d.length);
        NATIVE.setGraphContextTArguments(ctx, doubles, d.length);
      }
      if (b.length > 0) {
        if (b.length > bools.capacity()) {
          bools = new BooleanPointer(b.length);
        }
        bools.put(b, 0, b.length);
        NATIVE.setGraphContextBArguments(ctx, bools, b.length);
      }
    }
  }
}
