package io.anygraph.interop.onnx;

import static io.anygraph.interop.onnx.Lowering.attr;

import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.ops.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The rules of {@link OnnxOpTable} that take more than one ONNX node or read attributes: layouts
 * for convolution and pooling, matmul's transposes, slices, Python-style division.
 */
final class OnnxRules {
  /** NHWC → NCHW and back, as Transpose permutations. */
  private static final long[] TO_NCHW = {0, 3, 1, 2};

  private static final long[] TO_NHWC = {0, 2, 3, 1};

  /** HWIO filters [kh, kw, in, out] → ONNX's OIHW. */
  private static final long[] HWIO_TO_OIHW = {3, 2, 0, 1};

  private OnnxRules() {}

  /** One ONNX node taking all the inputs in order. */
  static OnnxRule same(String opType) {
    return l -> l.emit(opType, inputs(l), l.out());
  }

  /** Softmax-style: one input and an {@code axis} attribute (default the last axis). */
  static OnnxRule alongAxis(String opType) {
    return l -> l.emit(opType, List.of(l.in(0)), l.out(), attr("axis", axis(l, -1)));
  }

  /** Reductions over attribute {@code axes} (all when absent), with {@code keepDims}. */
  static OnnxRule reduce(String opType) {
    return l -> {
      long[] axes = l.attrs().has("axes") ? l.attrs().getLongs("axes") : new long[0];
      List<String> in = new ArrayList<>(List.of(l.in(0)));
      if (axes.length > 0) {
        in.add(l.int64s(axes));
      }
      l.emit(opType, in, l.out(), attr("keepdims", l.attrs().getBool("keepDims", false) ? 1 : 0));
    };
  }

  static List<String> inputs(Lowering l) {
    return l.node().inputs().stream().map(Lowering::valueName).toList();
  }

  private static long axis(Lowering l, long otherwise) {
    return l.attrs().has("axis") ? l.attrs().getLong("axis") : otherwise;
  }

  /**
   * {@code -Σ labels · logSoftmax(logits)} along the last axis (ONNX's SoftmaxCrossEntropyLoss
   * takes class indices or averages; this is the per-example loss over a distribution).
   */
  static void softmaxCrossEntropy(Lowering l) {
    String logP = l.helper("LogSoftmax", List.of(l.in(0)), attr("axis", -1));
    String weighted = l.helper("Mul", List.of(l.in(1), logP));
    String sum = l.helper("ReduceSum", List.of(weighted, l.int64s(-1)), attr("keepdims", 0));
    l.emit("Neg", List.of(sum), l.out());
  }

  static void matmul(Lowering l) {
    String a = l.in(0);
    String b = l.in(1);
    if (l.attrs().getBool("transposeA", false)) {
      a = l.helper("Transpose", List.of(a), attr("perm", swapLastTwo(l, 0)));
    }
    if (l.attrs().getBool("transposeB", false)) {
      b = l.helper("Transpose", List.of(b), attr("perm", swapLastTwo(l, 1)));
    }
    l.emit("MatMul", List.of(a, b), l.out());
  }

  private static long[] swapLastTwo(Lowering l, int input) {
    Shape s = l.inShape(input);
    if (!s.hasRank()) {
      throw l.fail("a transposed operand needs a known rank");
    }
    long[] perm = IntStream.range(0, s.rank()).asLongStream().toArray();
    perm[s.rank() - 2] = s.rank() - 1;
    perm[s.rank() - 1] = s.rank() - 2;
    return perm;
  }

  static void reshape(Lowering l) {
    long[] shape = l.attrs().getLongs("shape");
    boolean zero = false;
    for (long d : shape) {
      zero |= d == 0;
    }
    // ONNX reads a 0 as "copy this dimension" unless allowzero is set; Anygraph means size 0
    l.emit("Reshape", List.of(l.in(0), l.int64s(shape)), l.out(), attr("allowzero", zero ? 1 : 0));
  }

  static void reshapeTo(Lowering l) {
    l.emit("Reshape", List.of(l.in(0), int64(l, 1)), l.out());
  }

  /** Input {@code i} as int64, ONNX's type for shapes and indices. */
  private static String int64(Lowering l, int i) {
    if (l.inDType(i) == DType.INT64) {
      return l.in(i);
    }
    return l.helper("Cast", List.of(l.in(i)), attr("to", OnnxTensors.elemType(DType.INT64)));
  }

  static void transpose(Lowering l) {
    if (!l.attrs().has("perm")) {
      l.emit("Transpose", List.of(l.in(0)), l.out()); // ONNX's default reverses too
      return;
    }
    long[] perm = l.attrs().getLongs("perm").clone();
    for (int i = 0; i < perm.length; i++) {
      perm[i] = perm[i] < 0 ? perm[i] + perm.length : perm[i];
    }
    l.emit("Transpose", List.of(l.in(0)), l.out(), attr("perm", perm));
  }

  static void squeeze(Lowering l) {
    long[] axes = l.attrs().has("axes") ? l.attrs().getLongs("axes") : new long[0];
    l.emit(
        "Squeeze", axes.length == 0 ? List.of(l.in(0)) : List.of(l.in(0), l.int64s(axes)), l.out());
  }

  /** Slice with step -1 from the last element to before the first, along each axis. */
  static void reverse(Lowering l) {
    long[] axes = l.attrs().getLongs("axes");
    if (axes.length == 0) {
      l.emit("Identity", List.of(l.in(0)), l.out());
      return;
    }
    long[] starts = new long[axes.length];
    long[] ends = new long[axes.length];
    long[] steps = new long[axes.length];
    Arrays.fill(starts, -1);
    Arrays.fill(ends, Long.MIN_VALUE);
    Arrays.fill(steps, -1);
    l.emit(
        "Slice",
        List.of(l.in(0), l.int64s(starts), l.int64s(ends), l.int64s(axes), l.int64s(steps)),
        l.out());
  }

  /** onesLike / zerosLike: a constant filled to the run-time shape of the input. */
  static OnnxRule filledLike(double value) {
    return l -> {
      String shape = l.helper("Shape", List.of(l.in(0)));
      l.emit("ConstantOfShape", List.of(shape), l.out(), Lowering.valueAttr(value, l.outDType()));
    };
  }

  static void fill(Lowering l) {
    Shape shape = l.attrs().getShape("shape");
    double value = l.attrs().getDouble("value");
    if (shape.rank() == 0) {
      l.emit("Identity", List.of(l.scalar(value, l.outDType())), l.out());
      return;
    }
    l.emit(
        "ConstantOfShape",
        List.of(l.int64s(shape.dims())),
        l.out(),
        Lowering.valueAttr(value, l.outDType()));
  }

  /** Python's {@code //}: floor(a / b) for floats; (a - mod(a, b)) / b, exact, for integers. */
  static void floorDiv(Lowering l) {
    if (l.inDType(0).isFloating()) {
      l.emit("Floor", List.of(l.helper("Div", List.of(l.in(0), l.in(1)))), l.out());
    } else {
      String r = l.helper("Mod", List.of(l.in(0), l.in(1)));
      l.emit("Div", List.of(l.helper("Sub", List.of(l.in(0), r)), l.in(1)), l.out());
    }
  }

  /**
   * Python's {@code %}: ONNX Mod for integers (the divisor's sign); a - floor(a/b) b for floats.
   */
  static void floorMod(Lowering l) {
    if (l.inDType(0).isFloating()) {
      String q = l.helper("Floor", List.of(l.helper("Div", List.of(l.in(0), l.in(1)))));
      l.emit("Sub", List.of(l.in(0), l.helper("Mul", List.of(q, l.in(1)))), l.out());
    } else {
      l.emit("Mod", List.of(l.in(0), l.in(1)), l.out());
    }
  }

  static void size(Lowering l) {
    if (!l.attrs().has("axes") || l.attrs().getLongs("axes").length == 0) {
      l.emit("Size", List.of(l.in(0)), l.out());
      return;
    }
    String dims =
        l.helper(
            "Gather",
            List.of(l.helper("Shape", List.of(l.in(0))), l.int64s(l.attrs().getLongs("axes"))));
    l.emit("ReduceProd", List.of(dims), l.out(), attr("keepdims", 0));
  }

  /**
   * Equal(indices[..., None], 0..depth-1) cast to the output type: an index outside [0, depth)
   * gives an all-zero row, as Anygraph does (ONNX's OneHot would wrap negative indices).
   */
  static void oneHot(Lowering l) {
    long depth = l.attrs().getLong("depth");
    String idx = l.helper("Unsqueeze", List.of(int64(l, 0), l.int64s(-1)));
    String range = l.int64s(IntStream.range(0, Math.toIntExact(depth)).asLongStream().toArray());
    String hot = l.helper("Equal", List.of(idx, range));
    l.emit("Cast", List.of(hot), l.out(), attr("to", OnnxTensors.elemType(l.outDType())));
  }

  static void slice(Lowering l) {
    long[] begin = l.attrs().getLongs("begin");
    long[] size = l.attrs().getLongs("size");
    long[] end = new long[begin.length];
    for (int d = 0; d < begin.length; d++) {
      end[d] = size[d] == -1 ? Long.MAX_VALUE : begin[d] + size[d];
    }
    l.emit("Slice", List.of(l.in(0), l.int64s(begin), l.int64s(end)), l.out());
  }

  /** Slice with begin and size computed in the graph; a size of -1 runs to the end. */
  static void dynamicSlice(Lowering l) {
    String begin = int64(l, 1);
    String size = int64(l, 2);
    String toEnd = l.helper("Equal", List.of(size, l.int64s(-1)));
    String end = l.helper("Add", List.of(begin, size));
    String ends = l.helper("Where", List.of(toEnd, l.int64s(Long.MAX_VALUE), end));
    l.emit("Slice", List.of(l.in(0), begin, ends), l.out());
  }

  static void pad(Lowering l) {
    long[] p = l.attrs().getLongs("paddings");
    int rank = p.length / 2;
    long[] pads = new long[p.length];
    for (int d = 0; d < rank; d++) {
      pads[d] = p[2 * d];
      pads[rank + d] = p[2 * d + 1];
    }
    double value = l.attrs().has("constantValue") ? l.attrs().getDouble("constantValue") : 0;
    l.emit("Pad", List.of(l.in(0), l.int64s(pads), l.scalar(value, l.inDType(0))), l.out());
  }

  static void conv2d(Lowering l) {
    Window w = Window.of(l.attrs(), l.inShape(1).dim(0), l.inShape(1).dim(1));
    String filter = l.helper("Transpose", List.of(l.in(1)), attr("perm", HWIO_TO_OIHW));
    nchw(
        l,
        w,
        x ->
            l.helper(
                "Conv",
                List.of(x, filter),
                attr("kernel_shape", new long[] {w.kH(), w.kW()}),
                attr("strides", new long[] {w.sH(), w.sW()}),
                attr("dilations", new long[] {w.dH(), w.dW()}),
                attr("auto_pad", w.same() ? "SAME_UPPER" : "VALID")));
  }

  /**
   * Max or average pooling. SAME pads at the bottom/right (SAME_UPPER); padding never counts:
   * MaxPool ignores it and AveragePool's count_include_pad is 0, as in TensorFlow.
   */
  static OnnxRule pool(String opType) {
    return l -> {
      Window w = Window.pooling(l.attrs());
      if (w.dH() != 1 || w.dW() != 1) {
        throw l.fail("dilated pooling is not exported");
      }
      nchw(
          l,
          w,
          x ->
              l.helper(
                  opType,
                  List.of(x),
                  attr("kernel_shape", new long[] {w.kH(), w.kW()}),
                  attr("strides", new long[] {w.sH(), w.sW()}),
                  attr("auto_pad", w.same() ? "SAME_UPPER" : "VALID")));
    };
  }

  /** Runs an NCHW ONNX op on input 0, with Transposes around it for NHWC nodes. */
  private static void nchw(Lowering l, Window w, UnaryOperator<String> op) {
    if (w.nchw()) {
      l.emit("Identity", List.of(op.apply(l.in(0))), l.out());
      return;
    }
    String x = l.helper("Transpose", List.of(l.in(0)), attr("perm", TO_NCHW));
    l.emit("Transpose", List.of(op.apply(x)), l.out(), attr("perm", TO_NHWC));
  }

  /** The node's constant value, a graph initializer under the node's name. */
  static void constant(Lowering l) {
    l.initializer(l.out(), l.attrs().getArray("value"));
  }
}
