package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.Layouts;
import io.anygraph.core.Node;
import java.util.Arrays;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kernels of fused optimizer updates, which the compiler puts in place of {@code assign(v, v -
 * delta)} and {@code assign(v, v - g * lr)} (see {@code io.anygraph.local.exec.UpdateFusion}): the
 * variable's array is changed in place when nothing can see its old values ({@link
 * KernelContext#updateVariableInPlace}), else a copy of it is, and stored. Either way one pass over
 * the variable and no new buffer per step, where the unfused ops take two temporaries.
 *
 * <p>The arithmetic is the unfused ops', rounding for rounding: {@code v - delta} is one
 * subtraction; {@code v - g·lr} is libnd4j's {@code axpy} with {@code a = -lr}, i.e. {@code (-lr·g)
 * + v}, and {@code -lr·g} is exactly {@code -(g·lr)} (negation is exact), with no fused
 * multiply-add (libnd4j's build has none; Java never contracts), so the bits equal {@code mul} then
 * {@code sub}.
 */
public final class UpdateKernels {
  private UpdateKernels() {}

  /** {@code assign(v, v - delta)}: inputs (v as a reference, delta). */
  public static final Kernel ASSIGN_SUB =
      c -> update(c, w -> subtract(w, c.in(1)), c.in(1).dataType(), c.in(1).shape());

  /** {@code assign(v, v - g * lr)}: inputs (v as a reference, g, lr as a one-element array). */
  public static final Kernel APPLY_GRADIENT_DESCENT =
      c -> {
        INDArray lr = c.in(2);
        if (lr.length() != 1 || lr.dataType() != c.in(1).dataType()) {
          throw c.fail("the learning rate must be one value of the gradient's dtype");
        }
        double rate = lr.getDouble(0);
        return update(c, w -> axpy(w, c.in(1), -rate), c.in(1).dataType(), c.in(1).shape());
      };

  /**
   * Checks the operand against the variable, then applies {@code op} to the variable's array in
   * place or to a copy that becomes its value.
   */
  private static INDArray[] update(
      KernelContext c, Consumer<INDArray> op, DataType type, long[] shape) {
    Node var = c.node().input(0).node();
    INDArray current = c.state().variables().readForRun(var);
    if (current.dataType() != type || !Arrays.equals(current.shape(), shape)) {
      throw c.fail(
          "variable '"
              + var.name()
              + "' holds "
              + current.dataType()
              + Arrays.toString(current.shape())
              + ", its update is "
              + type
              + Arrays.toString(shape));
    }
    INDArray updated = c.updateVariableInPlace(0, op);
    if (updated != null) {
      return one(updated);
    }
    INDArray value = current.dup('c');
    op.accept(value);
    c.state().variables().writeOwned(var, value);
    return one(value);
  }

  /** {@code w -= delta} in place (w dense row-major). */
  private static void subtract(INDArray w, INDArray delta) {
    if (!SmallElementwise.tryBinary("subtract", w, delta, w)) {
      NativeCall.exec("subtract", new INDArray[] {w, delta}, w);
    }
  }

  /** {@code w += a·g} in place (w dense row-major): libnd4j's axpy, tiny float tensors in Java. */
  private static void axpy(INDArray w, INDArray g, double a) {
    long n = w.length();
    if (n <= SmallElementwise.MAX_ELEMENTS
        && Layouts.isDenseRowMajor(g)
        && (w.dataType() == DataType.FLOAT || w.dataType() == DataType.DOUBLE)) {
      DataBuffer z = w.data();
      DataBuffer x = g.data();
      if (w.dataType() == DataType.FLOAT) {
        float fa = (float) a;
        for (long i = 0; i < n; i++) {
          z.put(i, fa * x.getFloat(i) + z.getFloat(i));
        }
      } else {
        for (long i = 0; i < n; i++) {
          z.put(i, a * x.getDouble(i) + z.getDouble(i));
        }
      }
      return;
    }
    NativeCall.exec(
        "axpy",
        new INDArray[] {g, w},
        new INDArray[] {w},
        new long[0],
        new double[] {a},
        new boolean[0]);
  }
}
