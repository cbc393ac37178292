package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;

import io.anygraph.core.ops.Window;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and pooling on libnd4j's kernels (im2col + GEMM for convolutions). Shapes were
 * checked by inference on the concrete inputs before these run; outputs are allocated here in
 * the inferred shapes so libnd4j writes into buffers the executor owns.
 */
final class ConvKernels {
  private ConvKernels() {}

  static void register() {
    add("conv2d", c -> {
      INDArray filter = c.in(1);
      Window w = Window.of(c.attrs(), filter.size(0), filter.size(1));
      INDArray out = c.output(0);
      exec("conv2d", w.convArgs(), new INDArray[] {c.in(0), filter}, out);
      return new INDArray[] {out};
    });
    add("conv2dGrad", c -> {
      INDArray input = c.in(0);
      INDArray filter = c.in(1);
      Window w = Window.of(c.attrs(), filter.size(0), filter.size(1));
      INDArray dInput = c.output(0).assign(0);
      INDArray dFilter = c.output(1).assign(0);
      exec("conv2d_bp", w.convArgs(), new INDArray[] {input, filter, c.in(2)}, dInput, dFilter);
      return new INDArray[] {dInput, dFilter};
    });
    add("maxPool", c -> pool(c, "maxpool2d"));
    add("avgPool", c -> pool(c, "avgpool2d"));
    add("maxPoolGrad", c -> poolGrad(c, "maxpool2d_bp"));
    add("avgPoolGrad", c -> poolGrad(c, "avgpool2d_bp"));
    add("maxPoolGradGrad", MaxPoolGradGradKernel::run);
  }

  private static INDArray[] pool(KernelContext c, String op) {
    INDArray out = c.output(0);
    exec(op, Window.pooling(c.attrs()).poolArgs(), new INDArray[] {c.in(0)}, out);
    return new INDArray[] {out};
  }

  private static INDArray[] poolGrad(KernelContext c, String op) {
    INDArray dInput = c.output(0).assign(0); // libnd4j may add into it
    exec(op, Window.pooling(c.attrs()).poolArgs(), new INDArray[] {c.in(0), c.in(1)}, dInput);
    return new INDArray[] {dInput};
  }

  private static void exec(String op, long[] args, INDArray[] inputs, INDArray... outputs) {
    // libnd4j reads every input as a plain row-major buffer
    INDArray[] plain = new INDArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      plain[i] = inputs[i].isView() || inputs[i].ordering() != 'c' ? inputs[i].dup('c') : inputs[i];
    }
    Nd4j.exec(DynamicCustomOp.builder(op).addInputs(plain).addOutputs(outputs)
        .addIntegerArguments(java.util.Arrays.stream(args).mapToInt(v -> (int) v).toArray()).build());
  }
}
