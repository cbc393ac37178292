package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.Layouts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax cross-entropy along the last axis, forward and back, as TensorFlow's one op: {@code loss
 * = -Σ labels · logSoftmax(logits)} and its gradient {@code dy · (softmax(logits) · Σ labels -
 * labels)}. A row at a time in Java (each row's softmax through {@link RowSoftmax#normalize}, sums
 * in double, one rounding at the end) up to {@link RowSoftmax#MAX_ELEMENTS} logits, where the dozen
 * kernels the formula took each way cost more than the arithmetic (the MLP's [128, 10]: 0.15 ms a
 * step for the loss and its gradient); larger tensors through libnd4j's vectorized softmax and a
 * few broadcasting calls.
 */
final class CrossEntropyKernels {
  private CrossEntropyKernels() {}

  static void register() {
    add(
        "softmaxCrossEntropy",
        c -> {
          INDArray out = c.output(0);
          INDArray logits = c.dense(c.in(0)); // a view takes the same path as its values
          INDArray labels = c.dense(c.in(1));
          if (!out.isEmpty() && !rows(logits, labels, null, out)) {
            int last = logits.rank() - 1;
            INDArray logP = c.scratch(logits.dataType(), logits.shape());
            NnKernels.softmaxInto(c, logits, last, logP, true);
            NativeCall.exec("multiply", new INDArray[] {labels, logP}, logP);
            ReduceKernels.into("reduce_sum", logP, new int[] {last}, out);
            out.negi();
          }
          return one(out);
        });
    add(
        "softmaxCrossEntropyGrad",
        c -> {
          INDArray out = c.output(0);
          INDArray logits = c.dense(c.in(0));
          INDArray labels = c.dense(c.in(1));
          INDArray dy = c.dense(c.in(2));
          if (!out.isEmpty() && !rows(logits, labels, dy, out)) {
            int last = logits.rank() - 1;
            long[] kept = NnKernels.keptShape(logits, last);
            INDArray total = c.scratch(labels.dataType(), kept);
            ReduceKernels.into("reduce_sum", labels, new int[] {last}, total);
            NnKernels.softmaxInto(c, logits, last, out, false);
            NativeCall.exec("multiply", new INDArray[] {out, total}, out);
            NativeCall.exec("subtract", new INDArray[] {out, labels}, out);
            INDArray dyKept = dy.reshape('c', kept);
            NativeCall.exec("multiply", new INDArray[] {out, dyKept}, out);
          }
          return one(out);
        });
  }

  /**
   * The loss ({@code dy} null) or its gradient by rows in Java, when everything is dense float32 or
   * float64 of one dtype and small; answers whether it did.
   */
  private static boolean rows(INDArray logits, INDArray labels, INDArray dy, INDArray out) {
    DataType t = logits.dataType();
    if ((t != DataType.FLOAT && t != DataType.DOUBLE)
        || labels.dataType() != t
        || out.dataType() != t
        || (dy != null && dy.dataType() != t)
        || logits.length() > RowSoftmax.MAX_ELEMENTS
        || logits.length() != labels.length()
        || logits.rank() < 1
        || logits.size(-1) == 0
        || !Layouts.isDenseRowMajor(logits)
        || !Layouts.isDenseRowMajor(labels)
        || !Layouts.isDenseRowMajor(out)
        || (dy != null && !Layouts.isDenseRowMajor(dy))) {
      return false;
    }
    int k = (int) logits.size(-1);
    int n = (int) (logits.length() / k);
    double[] x = new double[k];
    double[] l = new double[k];
    DoubleView xs = new DoubleView(logits);
    DoubleView ls = new DoubleView(labels);
    DoubleView ys = dy == null ? null : new DoubleView(dy);
    DoubleView os = new DoubleView(out);
    for (int r = 0; r < n; r++) {
      xs.get(r * k, x);
      ls.get(r * k, l);
      if (dy == null) {
        RowSoftmax.normalize(x, true);
        double loss = 0;
        for (int j = 0; j < k; j++) {
          loss -= l[j] * x[j];
        }
        os.put(r, loss);
      } else {
        RowSoftmax.normalize(x, false);
        double total = 0;
        for (int j = 0; j < k; j++) {
          total += l[j];
        }
        double g = ys.get(r);
        for (int j = 0; j < k; j++) {
          x[j] = g * (x[j] * total - l[j]);
        }
        os.put(r * k, x);
      }
    }
    return true;
  }
}
