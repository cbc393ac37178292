package io.anygraph.interop.tf;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mappings that take more than one Anygraph op: TensorFlow ops whose semantics differ in a
 * detail (axis, broadcasting, a second output) from the nearest Anygraph op.
 */
final class TfComposites {
  private TfComposites() {}

  /** {@code (loss, backprop)}: backprop is TensorFlow's second output, softmax - labels. */
  static List<Tensor> softmaxXent(TfOpContext c, boolean sparse) {
    Tensor logits = c.in(0);
    Tensor labels = c.in(1);
    if (sparse
        && (!labels.dtype().isInteger()
            || logits.shape().hasRank() && logits.shape().rank() != 2)) {
      throw c.fail("needs logits [batch, classes] and integer labels [batch]");
    }
    Tensor loss =
        c.composite(
            () ->
                sparse
                    ? c.g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, labels)
                    : c.g.nn().softmaxCrossEntropyWithLogits(logits, labels));
    Tensor backprop =
        c.inner(
            () -> {
              Tensor dense =
                  sparse
                      ? c.ops().oneHot(labels, logits.shape().dim(1), logits.dtype(), true)
                      : labels;
              return c.g.nn().softmax(logits).sub(dense);
            });
    return List.of(loss, backprop);
  }

  /** TF1's {@code Select}: a vector condition picks rows of higher-rank branches. */
  static Tensor select(TfOpContext c) {
    Tensor cond = c.in(0);
    Shape x = c.in(1).shape();
    if (cond.shape().hasRank() && cond.shape().rank() == 1 && x.hasRank() && x.rank() > 1) {
      long[] rows = new long[x.rank()];
      Arrays.fill(rows, 1);
      rows[0] = -1;
      Tensor column = c.inner(() -> c.ops().reshape(cond, rows));
      return c.op("select", Attrs.empty(), column, c.in(1), c.in(2));
    }
    return c.op("select", Attrs.empty(), cond, c.in(1), c.in(2));
  }

  /** {@code GatherV2} on any axis: the axis moved to the front, gathered, moved back. */
  static Tensor gather(TfOpContext c) {
    Tensor params = c.in(0);
    Tensor indices = c.in(1);
    if (c.node.integer("batch_dims", 0) != 0) {
      throw c.fail("batch_dims " + c.node.integer("batch_dims", 0) + " is not supported");
    }
    long axisValue = c.arity() > 2 ? c.constInts(2, "axis")[0] : 0;
    if (axisValue == 0) {
      return c.op("gather", Attrs.empty(), params, indices);
    }
    if (!params.shape().hasRank() || !indices.shape().hasRank()) {
      throw c.fail("gathering along axis " + axisValue + " needs the ranks of params and indices");
    }
    int r = params.shape().rank();
    int q = indices.shape().rank();
    int a = (int) (axisValue < 0 ? axisValue + r : axisValue);
    int[] front = new int[r];
    front[0] = a;
    for (int i = 0, j = 1; i < r; i++) {
      if (i != a) {
        front[j++] = i;
      }
    }
    int[] back = new int[q + r - 1];
    int k = 0;
    for (int i = 0; i < a; i++) {
      back[k++] = q + i;
    }
    for (int i = 0; i < q; i++) {
      back[k++] = i;
    }
    for (int i = a; i < r - 1; i++) {
      back[k++] = q + i;
    }
    return c.composite(
        () -> {
          Ops o = c.ops();
          return o.transpose(o.gather(o.transpose(params, front), indices), back);
        });
  }

  /** {@code Pack} (tf.stack) of tensors known only when run. */
  static Tensor pack(TfOpContext c) {
    long axis = c.node.integer("axis", 0);
    Shape s = c.in(0).shape();
    if (axis < 0 && !s.hasRank()) {
      throw c.fail("a negative axis needs the rank of " + c.in(0).name());
    }
    int ax = (int) (axis < 0 ? axis + s.rank() + 1 : axis);
    return c.composite(
        () -> {
          List<Tensor> parts = new ArrayList<>();
          for (Tensor t : c.ins()) {
            parts.add(c.ops().expandDims(t, ax));
          }
          return parts.size() == 1 ? parts.get(0) : c.ops().concat(parts, ax);
        });
  }

  /** {@code Shape} or {@code Size} when run: Anygraph's int64 values cast to {@code out_type}. */
  static Tensor runtimeShape(TfOpContext c, boolean size) {
    DType out = TfFolding.outType(c);
    return c.composite(
        () -> {
          Tensor v = size ? c.ops().size(c.in(0)) : c.ops().shape(c.in(0));
          return out == DType.INT64 ? v : c.ops().cast(v, out);
        });
  }

  /** {@code Reshape}: to a constant shape, or to one computed when run. */
  static Tensor reshape(TfOpContext c) {
    Folded shape = c.known(1);
    if (shape != null) {
      return c.op("reshape", Attrs.of("shape", shape.longs()), c.in(0));
    }
    Tensor s = c.in(1);
    if (s.dtype() == DType.INT64) {
      return c.op("reshapeTo", Attrs.empty(), c.in(0), s);
    }
    Tensor s64 = c.inner(() -> c.ops().cast(s, DType.INT64));
    return c.op("reshapeTo", Attrs.empty(), c.in(0), s64);
  }

  /** {@code Slice}: constant begin and size, or ones computed when run. */
  static Tensor slice(TfOpContext c) {
    if (c.known(1) != null && c.known(2) != null) {
      return c.op(
          "slice", Attrs.of("begin", c.folded(1).longs(), "size", c.folded(2).longs()), c.in(0));
    }
    Tensor[] parts = new Tensor[2];
    for (int i = 0; i < 2; i++) {
      Tensor t = c.in(i + 1);
      parts[i] = t.dtype() == DType.INT64 ? t : c.inner(() -> c.ops().cast(t, DType.INT64));
    }
    return c.op("dynamicSlice", Attrs.empty(), c.in(0), parts[0], parts[1]);
  }

  /** Sum, Mean, Max over constant axes; {@code Min} is {@code -max(-x)}. */
  static Tensor reduce(TfOpContext c, String op) {
    long[] axes = c.constInts(1, "reduction axes");
    boolean keep = c.node.bool("keep_dims", false);
    Attrs attrs = Attrs.of("axes", axes, "keepDims", keep);
    if (!op.equals("reduceMin")) {
      return c.op(op, attrs, c.in(0));
    }
    Tensor m =
        c.inner(() -> c.g.add("reduceMax", List.of(c.ops().neg(c.in(0))), attrs, null).get(0));
    return c.op("neg", Attrs.empty(), m);
  }

  /** {@code Fill(dims, value)}: a fill op when the value is known, else ones times the value. */
  static Tensor fill(TfOpContext c) {
    Shape shape = Shape.of(c.constInts(0, "dims"));
    Tensor value = c.in(1);
    Folded v = c.known(1);
    if (v != null) {
      return c.op(
          "fill",
          Attrs.of("dtype", value.dtype(), "shape", shape, "value", v.values()[0]),
          new Tensor[0]);
    }
    return c.composite(() -> c.ops().fill(value.dtype(), shape, 1).mul(value));
  }
}
