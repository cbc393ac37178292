package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;

import io.anygraph.core.Attrs;
import io.anygraph.core.Layouts;
import io.anygraph.core.ops.Window;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution and pooling, on libnd4j's kernels (oneDNN's primitives where the build has them, see
 * {@link NativeBuild}); without oneDNN, stride-1 convolutions run as large GEMMs ({@link
 * ConvGemm}), much faster than libnd4j's own loops. A float32 filter gradient whose input gradient
 * nobody reads runs as im2col + GEMM ({@link ConvFilterGradient}). Shapes were checked by inference
 * on the concrete inputs before these run; outputs are buffers the executor lends, in the inferred
 * shapes.
 */
public final class ConvKernels {
  private ConvKernels() {}

  static void register() {
    add("conv2d", c -> convolve(c, c.attrs(), null));
    add(
        "conv2dGrad",
        c -> {
          INDArray input = c.in(0);
          INDArray filter = c.in(1);
          Window w = Window.of(c.attrs(), filter.size(0), filter.size(1));
          INDArray dInput = c.output(0);
          INDArray dFilter = c.output(1);
          if (!c.needed(0) && ConvFilterGradient.applies(w, input, filter)) {
            ConvFilterGradient.compute(c, input, c.in(2), w, dFilter);
            Buffers.zero(dInput);
          } else if (onGemm(w, input, filter, !c.needed(0))) {
            // the input's gradient is skipped when nothing reads it (the first layer's, in
            // training)
            ConvGemm.backward(c, input, filter, c.in(2), w, c.needed(0) ? dInput : null, dFilter);
            if (!c.needed(0)) {
              Buffers.zero(dInput);
            }
          } else {
            Buffers.zero(dInput); // libnd4j may add into them
            Buffers.zero(dFilter);
            exec(
                "conv2d_bp",
                w.convArgs(),
                new INDArray[] {input, filter, c.in(2)},
                dInput,
                dFilter);
          }
          return new INDArray[] {dInput, dFilter};
        });
    add("maxPool", c -> pool(c, "maxpool2d"));
    add("avgPool", c -> pool(c, "avgpool2d"));
    add(
        "maxPoolGrad",
        c -> {
          maxPoolGrad(c, c.attrs(), c.in(0), c.in(1), c.output(0));
          return new INDArray[] {c.output(0)};
        });
    add(
        "avgPoolGrad",
        c -> {
          poolGrad(c, c.attrs(), "avgpool2d_bp", c.in(0), c.in(1), c.output(0));
          return new INDArray[] {c.output(0)};
        });
    add("maxPoolGradGrad", MaxPoolGradGradKernel::run);
  }

  /**
   * {@code conv2d(x, f) + b} with b one value per output channel of an NHWC convolution (inputs x,
   * f, b; {@code io.anygraph.local.exec.ConvBiasFusion} puts it in place of the add and the
   * convolution): on oneDNN the bias goes into the convolution, which adds it to each finished dot
   * product as it writes it; on the GEMM convolution it is added after, in place.
   */
  public static Kernel withBias(Attrs convAttrs) {
    return c -> convolve(c, convAttrs, c.in(2));
  }

  /**
   * {@code reluGrad(z, maxPoolGrad(x, dy))} over the pooling window of {@code poolAttrs} (inputs x,
   * dy, z; {@code io.anygraph.local.exec.PoolReluGradFusion} puts it in place of both): one pass
   * that passes each window's gradient on only where z is positive ({@link MaxPoolGradLoop}), else
   * the two kernels one after the other. With {@code biasGradient}, a second output: the result
   * summed over all but its last axis ({@code reduceSumLike} to a [C] bias, input 3). With {@code
   * xIsZ}, input 0 is z itself, the pooling having read relu(z) ({@link #maxPoolThenRelu}): the
   * loop finds the same maxima in z where they count; libnd4j's kernels get relu(z), as unfused.
   */
  public static Kernel maxPoolThenReluGrad(Attrs poolAttrs, boolean biasGradient, boolean xIsZ) {
    return c -> {
      INDArray out = c.output(0);
      INDArray sums = biasGradient ? c.output(1) : null;
      Window w = Window.pooling(poolAttrs);
      boolean done = out.isEmpty() && (sums == null || sums.isEmpty());
      if (!done && !MaxPoolGradLoop.tryRun(w, c.in(0), c.in(1), c.in(2), out, sums)) {
        INDArray pooled = c.scratch(out.dataType(), out.shape());
        INDArray x = c.in(0);
        if (xIsZ) {
          x = c.scratch(x.dataType(), x.shape());
          NnKernels.relu(c.in(0), x);
        }
        maxPoolGrad(c, poolAttrs, x, c.in(1), pooled);
        NnKernels.reluGrad(c.dense(c.in(2)), pooled, out);
        if (sums != null) {
          ReduceKernels.sumLike(c, out, sums);
        }
      }
      return sums == null ? new INDArray[] {out} : new INDArray[] {out, sums};
    };
  }

  /**
   * {@code relu(maxPool(z))}, which equals {@code maxPool(relu(z))} (relu is monotone) at a quarter
   * of relu's work for 2x2 windows. Except where a window holds only NaNs: a pooling that skips
   * NaNs gives it its lowest value, which relu after the pooling would turn into 0 where the NaN
   * must spread as unfused; so where the pooled values hold a NaN or that lowest value (or z is not
   * dense float32), the pair runs as written, relu first.
   */
  public static Kernel maxPoolThenRelu(Attrs poolAttrs) {
    return c -> {
      INDArray out = c.output(0);
      INDArray z = c.in(0);
      long[] args = Window.pooling(poolAttrs).poolArgs();
      if (FloatChunks.dense(z) && FloatChunks.dense(out)) {
        exec("maxpool2d", args, new INDArray[] {z}, out);
        if (!ReluLoops.reluInPlaceFlaggingExtremes(out)) {
          return new INDArray[] {out};
        }
      }
      INDArray x = c.scratch(z.dataType(), z.shape());
      NnKernels.relu(z, x);
      exec("maxpool2d", args, new INDArray[] {x}, out);
      return new INDArray[] {out};
    };
  }

  /** x (input 0) convolved with the filter (input 1), plus the bias when there is one. */
  private static INDArray[] convolve(KernelContext c, Attrs attrs, INDArray bias) {
    INDArray filter = c.in(1);
    Window w = Window.of(attrs, filter.size(0), filter.size(1));
    INDArray out = c.output(0);
    if (onGemm(w, c.in(0), filter, false)) {
      ConvGemm.forward(c, c.in(0), filter, w, out);
      if (bias != null && !out.isEmpty()) {
        NativeCall.exec("add", new INDArray[] {out, bias}, out);
      }
    } else if (bias != null) {
      exec("conv2d", w.convArgs(), new INDArray[] {c.in(0), filter, bias}, out);
    } else {
      exec("conv2d", w.convArgs(), new INDArray[] {c.in(0), filter}, out);
    }
    return new INDArray[] {out};
  }

  /**
   * Whether {@link ConvGemm} runs this convolution rather than libnd4j: always where it applies and
   * oneDNN is off or lacks the dtype (oneDNN has no float64; libnd4j's own loops are far slower),
   * and for a gradient whose input half nobody reads (where {@link ConvFilterGradient} does not
   * take it), which ConvGemm skips while libnd4j's {@code conv2d_bp} always computes both (MNIST's
   * first layer: 8 against 12 ms), and for a dilated convolution, for which oneDNN builds no
   * primitive (libnd4j: "could not create a descriptor for a dilated convolution").
   */
  private static boolean onGemm(
      Window w, INDArray input, INDArray filter, boolean inputGradientUnused) {
    if (!ConvGemm.applies(w, input, filter)) {
      return false;
    }
    return !NativeBuild.oneDnn()
        || input.dataType() == DataType.DOUBLE
        || inputGradientUnused
        || w.dH() > 1
        || w.dW() > 1;
  }

  private static INDArray[] pool(KernelContext c, String op) {
    INDArray out = c.output(0);
    exec(op, Window.pooling(c.attrs()).poolArgs(), new INDArray[] {c.in(0)}, out);
    return new INDArray[] {out};
  }

  /** The max-pooling gradient into {@code dInput}: {@link MaxPoolGradLoop} where it applies. */
  private static void maxPoolGrad(
      KernelContext c, Attrs attrs, INDArray x, INDArray dy, INDArray dInput) {
    if (!dInput.isEmpty() && !MaxPoolGradLoop.tryRun(Window.pooling(attrs), x, dy, null, dInput)) {
      poolGrad(c, attrs, "maxpool2d_bp", x, dy, dInput);
    }
  }

  /**
   * libnd4j's own pooling gradients are some 7 times slower in NHWC than in NCHW (measured 7.4 vs
   * 1.0 ms for the MNIST network's first pooling), so without oneDNN NHWC goes through NCHW copies
   * (0.2 ms each); oneDNN's take NHWC as it is.
   */
  private static void poolGrad(
      KernelContext c, Attrs attrs, String op, INDArray x, INDArray dy, INDArray dInput) {
    if (dInput.isEmpty()) {
      return;
    }
    Window w = Window.pooling(attrs);
    long[] args = w.poolArgs();
    if (w.nchw() || NativeBuild.oneDnn()) {
      Buffers.zero(dInput); // libnd4j adds into it
      exec(op, args, new INDArray[] {x, dy}, dInput);
      return;
    }
    args[args.length - 1] = 0; // NCHW
    INDArray xNchw = toNchw(c, x);
    INDArray dyNchw = toNchw(c, dy);
    INDArray dx = Buffers.zero(c.scratch(xNchw.dataType(), xNchw.shape()));
    exec(op, args, new INDArray[] {xNchw, dyNchw}, dx);
    dInput.permute(0, 3, 1, 2).assign(dx);
  }

  private static INDArray toNchw(KernelContext c, INDArray nhwc) {
    INDArray v = nhwc.permute(0, 3, 1, 2);
    return c.scratch(nhwc.dataType(), v.shape()).assign(v);
  }

  private static void exec(String op, long[] args, INDArray[] inputs, INDArray... outputs) {
    // libnd4j's convolution helpers read inputs as plain row-major buffers
    INDArray[] plain = new INDArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      plain[i] = Layouts.denseRowMajor(inputs[i]);
    }
    NativeCall.execInts(op, plain, outputs, args);
  }
}
