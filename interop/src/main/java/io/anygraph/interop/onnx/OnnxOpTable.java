package io.anygraph.interop.onnx;

import static io.anygraph.interop.onnx.Lowering.attr;
import static java.util.Map.entry;

import io.anygraph.core.ops.OpNames;
import io.anygraph.interop.onnx.proto.AttributeProto;
import java.util.List;
import java.util.Map;

/**
 * The one table of how Anygraph ops become ONNX nodes (opset {@value OnnxExport#OPSET}). Sources
 * are not here: placeholders become graph inputs, variables and constants initializers ({@link
 * OnnxExport}). An op missing from both this table and {@link #TRAINING_ONLY} fails the export,
 * naming the node.
 */
final class OnnxOpTable {
  private OnnxOpTable() {}

  static final Map<String, OnnxRule> RULES =
      Map.ofEntries(
          // elementwise arithmetic and functions (NumPy broadcasting in both)
          entry("add", OnnxRules.same("Add")),
          entry("sub", OnnxRules.same("Sub")),
          entry("mul", OnnxRules.same("Mul")),
          entry("div", OnnxRules.same("Div")), // integers truncate in both
          entry("floorDiv", OnnxRules::floorDiv),
          entry("floorMod", OnnxRules::floorMod),
          entry("pow", OnnxRules.same("Pow")),
          entry("maximum", OnnxRules.same("Max")),
          entry("minimum", OnnxRules.same("Min")),
          entry("neg", OnnxRules.same("Neg")),
          entry("square", l -> l.emit("Mul", List.of(l.in(0), l.in(0)), l.out())),
          entry("sqrt", OnnxRules.same("Sqrt")),
          entry("exp", OnnxRules.same("Exp")),
          entry("log", OnnxRules.same("Log")),
          entry("abs", OnnxRules.same("Abs")),
          entry("sign", OnnxRules.same("Sign")),
          // comparisons and selection
          entry("greater", OnnxRules.same("Greater")),
          entry("greaterEqual", OnnxRules.same("GreaterOrEqual")),
          entry("less", OnnxRules.same("Less")),
          entry("lessEqual", OnnxRules.same("LessOrEqual")),
          entry("equal", OnnxRules.same("Equal")),
          entry(
              "notEqual",
              l -> l.emit("Not", List.of(l.helper("Equal", List.of(l.in(0), l.in(1)))), l.out())),
          entry("select", OnnxRules.same("Where")),
          // reductions and indexing
          entry("reduceSum", OnnxRules.reduce("ReduceSum")),
          entry("reduceMean", OnnxRules.reduce("ReduceMean")),
          entry("reduceMax", OnnxRules.reduce("ReduceMax")),
          entry("size", OnnxRules::size),
          entry(
              "argMax",
              l ->
                  l.emit(
                      "ArgMax",
                      List.of(l.in(0)),
                      l.out(),
                      attr("axis", l.attrs().getLong("axis")),
                      attr("keepdims", 0))),
          entry("oneHot", OnnxRules::oneHot),
          // neural network
          entry("relu", OnnxRules.same("Relu")),
          entry("sigmoid", OnnxRules.same("Sigmoid")),
          entry("tanh", OnnxRules.same("Tanh")),
          entry("softmax", OnnxRules.alongAxis("Softmax")),
          entry("logSoftmax", OnnxRules.alongAxis("LogSoftmax")),
          entry("softmaxCrossEntropy", OnnxRules::softmaxCrossEntropy),
          entry("matmul", OnnxRules::matmul),
          entry("conv2d", OnnxRules::conv2d),
          entry("maxPool", OnnxRules.pool("MaxPool")),
          entry("avgPool", OnnxRules.pool("AveragePool")),
          // shapes and layout
          entry("identity", OnnxRules.same("Identity")),
          entry("checkNumerics", OnnxRules.same("Identity")), // serving runtimes do not check
          entry("reshape", OnnxRules::reshape),
          entry("reshapeTo", OnnxRules::reshapeTo),
          entry(
              "reshapeLike",
              l ->
                  l.emit(
                      "Reshape", List.of(l.in(0), l.helper("Shape", List.of(l.in(1)))), l.out())),
          entry("transpose", OnnxRules::transpose),
          entry(
              "cast",
              l ->
                  l.emit(
                      "Cast",
                      List.of(l.in(0)),
                      l.out(),
                      attr("to", OnnxTensors.elemType(l.outDType())))),
          entry(
              "expandDims",
              l ->
                  l.emit(
                      "Unsqueeze", List.of(l.in(0), l.int64s(l.attrs().getLong("axis"))), l.out())),
          entry("squeeze", OnnxRules::squeeze),
          entry(
              "broadcastLike",
              l ->
                  l.emit("Expand", List.of(l.in(0), l.helper("Shape", List.of(l.in(1)))), l.out())),
          entry("reverse", OnnxRules::reverse),
          entry("onesLike", OnnxRules.filledLike(1)),
          entry("zerosLike", OnnxRules.filledLike(0)),
          entry("shape", OnnxRules.same("Shape")),
          entry("concat", l -> l.emit("Concat", OnnxRules.inputs(l), l.out(), axisAttr(l))),
          entry("slice", OnnxRules::slice),
          entry("dynamicSlice", OnnxRules::dynamicSlice),
          entry("pad", OnnxRules::pad),
          entry("gather", l -> l.emit("Gather", OnnxRules.inputs(l), l.out(), attr("axis", 0))),
          // constants computed by the graph
          entry("constant", OnnxRules::constant),
          entry("fill", OnnxRules::fill));

  /**
   * Ops that only make sense while training (state updates, gradient helpers) or that the
   * partitioner inserts, with why. One of these among the fetches' ancestors fails the export.
   */
  static final Map<String, String> TRAINING_ONLY =
      Map.ofEntries(
          entry("assign", "a state update"),
          entry("assignAdd", "a state update"),
          entry(OpNames.GROUP, "a training step's grouping"),
          entry("reluGrad", "a gradient op"),
          entry("softmaxCrossEntropyGrad", "a gradient op"),
          entry("conv2dGrad", "a gradient op"),
          entry("maxPoolGrad", "a gradient op"),
          entry("maxPoolGradGrad", "a gradient op"),
          entry("avgPoolGrad", "a gradient op"),
          entry("sliceGrad", "a gradient op"),
          entry("dynamicSliceGrad", "a gradient op"),
          entry("scatterAdd", "a gradient op"),
          entry("reduceSumLike", "a gradient op"),
          entry("reducedShape", "a gradient op's shape arithmetic"),
          entry("concatOffset", "a gradient op's shape arithmetic"),
          entry(OpNames.SEND, "a partitioner transfer"),
          entry(OpNames.RECV, "a partitioner transfer"),
          entry(OpNames.ALL_REDUCE, "a partitioner collective"),
          entry(OpNames.ALL_GATHER, "a partitioner collective"),
          entry(OpNames.PICK_REPLICA, "a partitioner collective"));

  private static AttributeProto axisAttr(Lowering l) {
    return attr("axis", l.attrs().getLong("axis"));
  }
}
