package io.anygraph.local.ops;

import static io.anygraph.local.ops.StridedCase.built;
import static io.anygraph.local.ops.StridedCase.index;
import static io.anygraph.local.ops.StridedCase.literal;
import static io.anygraph.local.ops.StridedCase.of;
import static io.anygraph.local.ops.StridedCase.positive;
import static io.anygraph.local.ops.StridedCase.signed;
import static io.anygraph.local.ops.StridedCase.signed2;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * For every registered op, the inputs {@link StridedInputsTest} runs it on. An op added to the
 * registry without a case here (or a reasoned entry in {@link #EXCLUDED}) fails that test.
 */
final class StridedCases {
  private StridedCases() {}

  private static final DType F64 = DType.FLOAT64;
  private static final DType F32 = DType.FLOAT32;
  private static final DType F16 = DType.FLOAT16;
  private static final DType I32 = DType.INT32;
  private static final DType I64 = DType.INT64;
  private static final DType BOOL = DType.BOOL;

  /** Ops with no case, and why. */
  static final Map<String, String> EXCLUDED =
      Map.of(
          "placeholder", "no tensor inputs (its fed values are the strided inputs of every case)",
          "constant",
              "no tensor inputs; its value is an attribute (GraphFile round trips check it)",
          "fill", "no tensor inputs",
          "variable", "no tensor inputs; the values assign stores are checked by the assign cases",
          "randomNormal", "no tensor inputs (randomUniformLike checks a seeded random kernel)",
          "randomUniform", "no tensor inputs (randomUniformLike checks a seeded random kernel)",
          "send",
              "one end of a cross-device transfer: runs only in a multi-device plan, where a"
                  + " recv on another device blocks until it arrives",
          "recv", "the other end of send; no tensor inputs");

  /** Every case, by op; ops whose kernels branch on the dtype have one case per dtype. */
  static List<StridedCase> all() {
    List<StridedCase> c = new ArrayList<>();
    for (String op : List.of("add", "sub", "mul", "maximum", "minimum")) {
      for (DType t : List.of(F64, F32, F16, I32, I64)) {
        c.add(of(op, signed(t, 2, 3, 4), signed2(t, 2, 3, 4)));
      }
      c.add(of(op, signed(F64, 2, 3, 4), signed2(F64, 3, 4))); // broadcasting
    }
    for (DType t : List.of(F64, F32, I32, I64)) {
      c.add(of("div", signed(t, 2, 3, 4), positive(t, 2, 3, 4)));
      c.add(of("floorDiv", signed(t, 2, 3, 4), positive(t, 2, 3, 4)));
      c.add(of("floorMod", signed(t, 2, 3, 4), positive(t, 2, 3, 4)));
    }
    c.add(of("pow", positive(F64, 2, 3, 4), signed2(F64, 2, 3, 4)));
    c.add(of("pow", positive(F32, 2, 3, 4), signed2(F32, 2, 3, 4)));
    for (String op : List.of("neg", "square", "abs", "sign")) {
      for (DType t : List.of(F64, F32, I32)) {
        c.add(of(op, signed(t, 2, 3, 4)));
      }
    }
    for (String op : List.of("sqrt", "log")) {
      c.add(of(op, positive(F64, 2, 3, 4)));
      c.add(of(op, positive(F32, 2, 3, 4)));
    }
    // passes finite values through; NaN/inf would fail the run (CheckNumericsOpsTest)
    c.add(of("checkNumerics", signed(F64, 2, 3, 4)));
    c.add(of("checkNumerics", signed(F32, 2, 3, 4)));
    for (String op : List.of("exp", "relu", "sigmoid", "tanh")) {
      c.add(of(op, signed(F64, 2, 3, 4)));
      c.add(of(op, signed(F32, 2, 3, 4)));
    }
    c.add(of("reluGrad", signed(F64, 2, 3, 4), signed2(F64, 2, 3, 4)));
    c.add(of("reluGrad", signed(F32, 2, 3, 4), signed2(F32, 2, 3, 4)));
    for (DType t : List.of(F64, F32)) {
      c.add(of("softmaxCrossEntropy", signed(t, 2, 3, 4), positive(t, 2, 3, 4)));
      c.add(
          of(
              "softmaxCrossEntropyGrad",
              signed(t, 2, 3, 4),
              positive(t, 2, 3, 4),
              signed2(t, 2, 3)));
    }
    for (String op : List.of("softmax", "logSoftmax")) {
      c.add(of(op, signed(F64, 2, 3, 4)));
      c.add(of(op, Attrs.of("axis", 1L), signed(F32, 2, 3, 4)));
    }
    for (String op : List.of("greater", "greaterEqual", "less", "lessEqual", "equal", "notEqual")) {
      c.add(of(op, signed(F64, 2, 3, 4), signed2(F64, 2, 3, 4)));
      c.add(of(op, signed(I32, 2, 3, 4), signed2(I32, 3, 4)));
    }
    for (DType t : DType.values()) {
      c.add(of("select", signed(BOOL, 2, 3, 4), signed(t, 2, 3, 4), signed2(t, 2, 3, 4)));
    }
    for (String op : List.of("reduceSum", "reduceMean", "reduceMax")) {
      c.add(of(op, Attrs.of("axes", new long[] {1}), signed(F64, 2, 3, 4)));
      c.add(of(op, Attrs.of("axes", new long[] {0, 2}, "keepDims", true), signed(F32, 2, 3, 4)));
      c.add(of(op, signed(I32, 2, 3, 4)));
    }
    c.add(of("size", signed(F64, 2, 3, 4)));
    c.add(of("size", Attrs.of("axes", new long[] {1, 2}), signed(F64, 2, 3, 4)));
    c.add(of("reduceSumLike", signed(F64, 2, 3, 4), signed(F64, 3, 1)));
    c.add(of("broadcastLike", signed(F64, 3, 1), signed(F64, 2, 3, 4)));

    // array and shape ops; several are views of their input, so their fetches are views too
    for (DType t : DType.values()) {
      c.add(of("identity", signed(t, 2, 3, 4)));
      c.add(of("transpose", Attrs.of("perm", new long[] {2, 0, 1}), signed(t, 2, 3, 4)));
      c.add(of("reverse", Attrs.of("axes", new long[] {0, 2}), signed(t, 2, 3, 4)));
      c.add(of("concat", Attrs.of("axis", 1L), signed(t, 2, 3, 4), signed2(t, 2, 2, 4)));
      c.add(
          of(
              "slice",
              Attrs.of("begin", new long[] {0, 1, 1}, "size", new long[] {2, 2, 2}),
              signed(t, 2, 3, 4)));
      c.add(of("gather", signed(t, 4, 3), index(I64, 4, 2, 2)));
    }
    c.add(
        of(
            "slice",
            Attrs.of("begin", new long[] {0, 1, 1}, "size", new long[] {2, 0, 2}),
            signed(F32, 2, 3, 4))); // an empty result keeps its dtype
    c.add(of("reshape", Attrs.of("shape", new long[] {4, 6}), signed(F64, 2, 3, 4)));
    c.add(of("reshapeLike", signed(F64, 2, 3, 4), signed(F32, 4, 6)));
    c.add(of("expandDims", Attrs.of("axis", 1L), signed(F64, 2, 3, 4)));
    c.add(of("squeeze", Attrs.of("axes", new long[] {1}), signed(F64, 2, 1, 4)));
    for (DType to : DType.values()) {
      c.add(of("cast", Attrs.of("dtype", to), signed(F32, 2, 3, 4)));
      c.add(of("cast", Attrs.of("dtype", to), signed(I32, 2, 3, 4)));
    }
    c.add(of("onesLike", signed(F64, 2, 3, 4)));
    c.add(of("zerosLike", signed(I32, 2, 3, 4)));
    c.add(
        of(
            "sliceGrad",
            Attrs.of("begin", new long[] {0, 1, 1}, "size", new long[] {2, 2, 2}),
            signed(F64, 2, 3, 4),
            signed2(F64, 2, 2, 2)));
    c.add(of("dynamicSlice", signed(F64, 2, 3, 4), literal(0, 1, 1), literal(2, 2, 2)));
    c.add(of("dynamicSliceGrad", signed(F64, 2, 3, 4), signed2(F64, 2, 2, 2), literal(0, 1, 1)));
    c.add(
        of(
            "pad",
            Attrs.of("paddings", new long[] {1, 0, 0, 1, 2, 1}, "constantValue", 0.5),
            signed(F64, 2, 3, 4)));
    c.add(of("scatterAdd", signed(F64, 4, 3), index(I64, 4, 2, 2), signed2(F64, 2, 2, 3)));
    c.add(of("shape", signed(F64, 2, 3, 4)));
    c.add(of("reducedShape", Attrs.of("axes", new long[] {1}), literal(2, 3, 4)));
    c.add(of("concatOffset", Attrs.of("axis", 1L), literal(2, 3, 4), literal(2, 2, 4)));
    c.add(of("reshapeTo", signed(F64, 2, 3, 4), literal(4, 6)));
    c.add(of("argMax", Attrs.of("axis", 1L), signed(F64, 2, 3, 4)));
    c.add(of("argMax", Attrs.of("axis", 2L), signed(I32, 2, 3, 4)));
    c.add(of("oneHot", Attrs.of("depth", 4L, "dtype", F32, "strict", true), index(I64, 4, 2, 3)));

    for (DType t : List.of(F64, F32, I32)) {
      c.add(of("matmul", signed(t, 3, 4), signed2(t, 4, 5)));
      c.add(of("matmul", signed(t, 2, 3, 4), signed2(t, 2, 4, 5)));
    }
    c.add(
        of(
            "matmul",
            Attrs.of("transposeA", true, "transposeB", true),
            signed(F64, 2, 4, 3),
            signed2(F64, 2, 5, 4)));

    Attrs conv =
        Attrs.of(
            "strides",
            new long[] {1, 1, 1, 1},
            "padding",
            "SAME",
            "dataFormat",
            "NHWC",
            "dilations",
            new long[] {1, 1, 1, 1});
    c.add(of("conv2d", conv, signed(F64, 1, 5, 5, 2), signed2(F64, 3, 3, 2, 3)));
    c.add(
        of(
            "conv2dGrad",
            conv,
            signed(F64, 1, 5, 5, 2),
            signed2(F64, 3, 3, 2, 3),
            signed(F64, 1, 5, 5, 3)));
    Attrs pool =
        Attrs.of(
            "ksize",
            new long[] {1, 2, 2, 1},
            "strides",
            new long[] {1, 2, 2, 1},
            "padding",
            "VALID",
            "dataFormat",
            "NHWC");
    c.add(of("maxPool", pool, signed(F64, 1, 4, 4, 2)));
    c.add(of("avgPool", pool, signed(F64, 1, 4, 4, 2)));
    c.add(of("maxPoolGrad", pool, signed(F64, 1, 4, 4, 2), signed2(F64, 1, 2, 2, 2)));
    c.add(of("avgPoolGrad", pool, signed(F64, 1, 4, 4, 2), signed2(F64, 1, 2, 2, 2)));
    c.add(of("maxPoolGradGrad", pool, signed(F64, 1, 4, 4, 2), signed2(F64, 1, 4, 4, 2)));

    // seeded, so the strided and the dense run draw the same numbers
    c.add(
        of(
            "randomUniformLike",
            Attrs.of("dtype", F32, "min", 0.0, "max", 1.0, "seed", 7L),
            signed(F64, 2, 3, 4)));
    // collectives are the identity over one shard; the plan executors aggregate shards
    c.add(of("allReduce", signed(F64, 2, 3, 4)));
    c.add(of("allGather", Attrs.of("axis", 0L), signed(F64, 2, 3, 4)));
    c.add(of("pickReplica", signed(I32, 2, 3, 4)));
    c.add(built("group", (g, xs, a) -> List.of(g.ops().group(xs)), signed(F64, 2, 3, 4)));
    for (DType t : DType.values()) {
      c.add(
          built(
              "assign",
              (g, xs, a) ->
                  List.of(g.ops().assign(g.shared(Nd4j.zeros(t.nd4j(), 2, 3, 4), "v"), xs.get(0))),
              signed(t, 2, 3, 4)));
    }
    c.add(
        built(
            "assignAdd",
            (g, xs, a) ->
                List.of(
                    g.ops().assignAdd(g.shared(Nd4j.ones(F64.nd4j(), 2, 3, 4), "v"), xs.get(0))),
            signed(F64, 2, 3, 4)));
    // layers' building blocks: cumsum on both kernel paths (libnd4j floats, Java integers)
    Attrs runningBack = Attrs.of("axis", 1L, "exclusive", true, "reverse", true);
    for (DType t : List.of(F64, F32, I32)) {
      c.add(of("cumsum", runningBack, signed(t, 2, 3, 4)));
    }
    c.add(of("cumsum", Attrs.of("axis", -1L), signed(F64, 2, 3, 4)));
    for (DType t : List.of(F64, F32, I64)) {
      c.add(of("topK", Attrs.of("k", 2L, "sorted", true), signed(t, 2, 3, 4)));
    }
    c.addAll(controlFlow());
    c.addAll(TrainingStridedCases.all());
    return c;
  }

  /** The nested graphs read strided values fed to the node, and slices of strided sequences. */
  private static List<StridedCase> controlFlow() {
    return List.of(
        built(
            "cond",
            (g, xs, a) ->
                List.of(
                    g.control()
                        .cond(
                            g.ops().greater(xs.get(0).sum(), g.constant(0.0, F64)),
                            () -> xs.get(0).mul(xs.get(1)),
                            () -> xs.get(0).sub(xs.get(1)))),
            signed(F64, 2, 3, 4),
            signed2(F64, 2, 3, 4)),
        built(
            "whileLoop",
            (g, xs, a) ->
                List.of(
                    g.control()
                        .whileLoop(
                            v -> g.ops().less(v.get(0), g.constant(2, I32)),
                            v -> List.of(v.get(0).add(1), v.get(1).mul(xs.get(1))),
                            List.of(g.constant(0, I32), xs.get(0)))
                        .get(1)),
            signed(F64, 2, 3, 4),
            signed2(F64, 2, 3, 4)),
        built(
            "whileLoop",
            (g, xs, a) ->
                g.control()
                    .scan(
                        (x, h, none) -> List.of(g.nn().tanh(h.get(0).add(x.get(0)))),
                        List.of(xs.get(0)),
                        List.of(xs.get(1)),
                        List.of()),
            signed(F64, 2, 3, 4),
            signed2(F64, 3, 4)));
  }
}
