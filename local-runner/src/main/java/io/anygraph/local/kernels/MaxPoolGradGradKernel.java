package io.anygraph.local.kernels;

import io.anygraph.core.Layouts;
import io.anygraph.core.ops.Window;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code maxPoolGradGrad(x, g)}: for each pooling window of x, g at the window's maximum (the first
 * one in row-major order on ties). It is the adjoint of maxPoolGrad in dy and appears only in
 * second derivatives, which libnd4j has no op for, so this is a plain loop in float64.
 */
final class MaxPoolGradGradKernel {
  private MaxPoolGradGradKernel() {}

  static INDArray[] run(KernelContext c) {
    Window w = Window.pooling(c.attrs());
    // NCHW row-major copies, so each (example, channel) plane is contiguous
    INDArray x = planes(c.in(0), w);
    INDArray g = planes(c.in(1), w);
    double[] xs = x.data().asDouble();
    double[] gs = g.data().asDouble();
    int n = (int) (x.size(0) * x.size(1));
    int h = (int) x.size(2);
    int wd = (int) x.size(3);
    int oh = (int) Window.outSize(h, w.kH(), w.sH(), w.dH(), w.same());
    int ow = (int) Window.outSize(wd, w.kW(), w.sW(), w.dW(), w.same());
    int top = (int) Window.padBefore(h, w.kH(), w.sH(), w.dH(), w.same());
    int left = (int) Window.padBefore(wd, w.kW(), w.sW(), w.dW(), w.same());
    double[] out = new double[n * oh * ow];
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          int best = -1;
          for (int a = 0; a < w.kH(); a++) {
            int r = (int) (i * w.sH() - top + a * w.dH());
            for (int b = 0; r >= 0 && r < h && b < w.kW(); b++) {
              int s = (int) (j * w.sW() - left + b * w.dW());
              int at = (p * h + r) * wd + s;
              if (s >= 0 && s < wd && (best < 0 || xs[at] > xs[best])) {
                best = at;
              }
            }
          }
          out[(p * oh + i) * ow + j] = best < 0 ? 0 : gs[best];
        }
      }
    }
    INDArray r = Nd4j.createFromArray(out).reshape(x.size(0), x.size(1), oh, ow);
    if (!w.nchw()) {
      r = r.permute(0, 2, 3, 1);
    }
    return new INDArray[] {r.castTo(c.outputDType(0).nd4j()).dup('c')};
  }

  private static INDArray planes(INDArray a, Window w) {
    INDArray nchw = w.nchw() ? a : a.permute(0, 3, 1, 2);
    return Layouts.denseRowMajor(nchw.castTo(DataType.DOUBLE));
  }
}
