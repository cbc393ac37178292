package io.anygraph.interop.tf;

import static io.anygraph.interop.tf.TfOp.single;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Ops;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;

/**
 * Every TensorFlow op the import knows, by TensorFlow's name: the one table of mappings. An op not
 * here fails the import (naming the node, the op and its consumers).
 */
public final class TfOpTable {
  private static final Map<String, TfOp> OPS = new LinkedHashMap<>();

  static {
    // ---- sources and state
    OPS.put(
        "Const",
        single(
            c -> c.op("constant", Attrs.of("value", c.attrTensor("value"))),
            c -> Folded.of(c.attrTensor("value"))));
    OPS.put(
        "Placeholder",
        single(c -> c.g.placeholder(c.node.dtype("dtype"), c.node.shape("shape"), c.baseName())));
    OPS.put("VariableV2", single(TfVariables::variable));
    OPS.put("VarHandleOp", single(TfVariables::variable));
    OPS.put("Assign", single(TfVariables::assign));
    OPS.put("AssignVariableOp", single(TfVariables::assign));
    OPS.put("ReadVariableOp", single(TfVariables::read));
    OPS.put("RandomUniform", single(c -> random(c, "randomUniform", "min", 0.0, "max", 1.0)));
    OPS.put(
        "RandomStandardNormal", single(c -> random(c, "randomNormal", "mean", 0.0, "stddev", 1.0)));
    OPS.put("Identity", single(c -> c.op("identity", Attrs.empty(), c.in(0)), TfFolding::identity));
    OPS.put("NoOp", single(c -> c.op(OpNames.GROUP, Attrs.empty())));
    // ---- elementwise arithmetic (NumPy broadcasting)
    binary("Add", "add", (a, b) -> a + b);
    binary("AddV2", "add", (a, b) -> a + b);
    binary("Sub", "sub", (a, b) -> a - b);
    binary("Mul", "mul", (a, b) -> a * b);
    binary("RealDiv", "div", (a, b) -> a / b);
    binary("Div", "div", (a, b) -> a / b);
    binary("FloorDiv", "floorDiv", (a, b) -> Math.floor(a / b));
    binary("Maximum", "maximum", Math::max);
    binary("Minimum", "minimum", Math::min);
    binary("Pow", "pow", Math::pow);
    for (String op :
        List.of(
            "Neg",
            "Square",
            "Sqrt",
            "Exp",
            "Log",
            "Abs",
            "Sign",
            "Relu",
            "Sigmoid",
            "Tanh",
            "Softmax",
            "LogSoftmax",
            "ZerosLike",
            "OnesLike")) {
      String ag = Character.toLowerCase(op.charAt(0)) + op.substring(1);
      OPS.put(op, single(c -> c.op(ag, Attrs.empty(), c.in(0))));
    }
    OPS.put(
        "Rsqrt",
        single(
            c ->
                c.composite(
                    () -> c.ops().div(c.ops().scalarLike(1, c.in(0)), c.ops().sqrt(c.in(0))))));
    OPS.put(
        "Relu6",
        single(
            c ->
                c.composite(
                    () ->
                        c.ops().minimum(c.g.nn().relu(c.in(0)), c.ops().scalarLike(6, c.in(0))))));
    OPS.put(
        "Cast",
        single(
            c -> c.op("cast", Attrs.of("dtype", c.node.dtype("DstT")), c.in(0)), TfFolding::cast));
    // ---- comparisons and selection
    for (String op : List.of("Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual")) {
      String ag = Character.toLowerCase(op.charAt(0)) + op.substring(1);
      OPS.put(op, single(c -> c.op(ag, Attrs.empty(), c.in(0), c.in(1))));
    }
    OPS.put("LogicalAnd", single(TfOpTable::logicalAnd)); // TF2's maximum_iterations in While
    OPS.put("Select", single(TfComposites::select));
    OPS.put("SelectV2", single(c -> c.op("select", Attrs.empty(), c.in(0), c.in(1), c.in(2))));
    // ---- linear algebra and neural networks
    OPS.put("MatMul", single(c -> matmul(c, "transpose_a", "transpose_b")));
    OPS.put("BatchMatMul", single(c -> matmul(c, "adj_x", "adj_y")));
    OPS.put("BatchMatMulV2", single(c -> matmul(c, "adj_x", "adj_y")));
    OPS.put("Conv2D", single(TfOpTable::conv2d));
    OPS.put("MaxPool", single(c -> pool(c, "maxPool")));
    OPS.put("AvgPool", single(c -> pool(c, "avgPool")));
    OPS.put("BiasAdd", single(TfOpTable::biasAdd));
    OPS.put(
        "SoftmaxCrossEntropyWithLogits", new TfOp(c -> TfComposites.softmaxXent(c, false), null));
    OPS.put(
        "SparseSoftmaxCrossEntropyWithLogits",
        new TfOp(c -> TfComposites.softmaxXent(c, true), null));
    // ---- shapes and layout
    OPS.put("Shape", single(c -> TfComposites.runtimeShape(c, false), TfFolding::shape));
    OPS.put("Size", single(c -> TfComposites.runtimeShape(c, true), TfFolding::size));
    OPS.put("Rank", new TfOp(null, TfFolding::rank));
    OPS.put("Reshape", single(TfComposites::reshape, TfFolding::reshape));
    OPS.put(
        "Transpose",
        single(c -> c.op("transpose", Attrs.of("perm", c.constInts(1, "permutation")), c.in(0))));
    OPS.put(
        "ExpandDims",
        single(
            c -> c.op("expandDims", Attrs.of("axis", c.constInts(1, "axis")[0]), c.in(0)),
            TfFolding::expandDims));
    OPS.put("Squeeze", single(TfOpTable::squeeze));
    OPS.put("ConcatV2", single(TfOpTable::concat, TfFolding::concat));
    OPS.put("Pack", single(TfComposites::pack, TfFolding::pack));
    OPS.put("Slice", single(TfComposites::slice, TfFolding::slice));
    OPS.put("StridedSlice", single(TfStridedSlice::build, TfStridedSlice::fold));
    OPS.put("GatherV2", single(TfComposites::gather));
    OPS.put("Pad", single(c -> pad(c, 0)));
    OPS.put("PadV2", single(c -> pad(c, c.known(2) == null ? Double.NaN : c.known(2).values()[0])));
    OPS.put("Fill", single(TfComposites::fill));
    // ---- reductions
    OPS.put("Sum", single(c -> TfComposites.reduce(c, "reduceSum")));
    OPS.put("Mean", single(c -> TfComposites.reduce(c, "reduceMean")));
    OPS.put("Max", single(c -> TfComposites.reduce(c, "reduceMax")));
    OPS.put("Min", single(c -> TfComposites.reduce(c, "reduceMin")));
    OPS.put("Prod", new TfOp(null, TfFolding::prod));
    OPS.put("ArgMax", single(TfOpTable::argMax));
    // ---- functional control flow (TensorFlow 2): branches and bodies from the library
    OPS.put("If", new TfOp(TfControlFlow::ifOp, null));
    OPS.put("StatelessIf", new TfOp(TfControlFlow::ifOp, null));
    OPS.put("While", new TfOp(TfControlFlow::whileOp, null));
    OPS.put("StatelessWhile", new TfOp(TfControlFlow::whileOp, null));
  }

  private TfOpTable() {}

  /** The TensorFlow op names the import maps. */
  public static Set<String> ops() {
    return Collections.unmodifiableSet(OPS.keySet());
  }

  /** The ops that are only folded (their inputs must be known while importing). */
  public static Set<String> foldOnly() {
    Set<String> s = new TreeSet<>();
    OPS.forEach(
        (k, v) -> {
          if (v.build() == null) {
            s.add(k);
          }
        });
    return s;
  }

  static TfOp get(String op) {
    return OPS.get(op);
  }

  /** Both true: the product of the bools as 0/1 numbers is nonzero (broadcasting as mul). */
  private static Tensor logicalAnd(TfOpContext c) {
    Ops o = c.ops();
    return c.composite(
        () -> {
          Tensor both = o.mul(o.cast(c.in(0), DType.FLOAT32), o.cast(c.in(1), DType.FLOAT32));
          return o.notEqual(both, o.scalarLike(0, both));
        });
  }

  private static void binary(String tf, String ag, DoubleBinaryOperator fold) {
    OPS.put(
        tf, single(c -> c.op(ag, Attrs.empty(), c.in(0), c.in(1)), TfFolding.elementwise(fold)));
  }

  private static Tensor random(
      TfOpContext c, String op, String k1, double v1, String k2, double v2) {
    long seed = c.node.integer("seed", 0);
    long seed2 = c.node.integer("seed2", 0);
    Long s = seed == 0 && seed2 == 0 ? null : seed * 31 + seed2;
    Shape shape = Shape.of(c.constInts(0, "shape"));
    return c.op(
        op, Attrs.of("dtype", c.node.dtype("dtype"), "shape", shape, k1, v1, k2, v2, "seed", s));
  }

  private static Tensor matmul(TfOpContext c, String ta, String tb) {
    return c.op(
        "matmul",
        Attrs.of("transposeA", c.node.bool(ta, false), "transposeB", c.node.bool(tb, false)),
        c.in(0),
        c.in(1));
  }

  private static String padding(TfOpContext c) {
    String p = c.node.string("padding", "VALID");
    if (!p.equals("SAME") && !p.equals("VALID")) {
      throw c.fail("padding " + p + " is not supported (SAME or VALID)");
    }
    return p;
  }

  private static Tensor conv2d(TfOpContext c) {
    String format = c.node.string("data_format", "NHWC");
    return c.op(
        "conv2d",
        Attrs.of(
            "strides",
            c.node.ints("strides", null),
            "padding",
            padding(c),
            "dataFormat",
            format,
            "dilations",
            c.node.ints("dilations", new long[] {1, 1, 1, 1})),
        c.in(0),
        c.in(1));
  }

  private static Tensor pool(TfOpContext c, String op) {
    return c.op(
        op,
        Attrs.of(
            "ksize",
            c.node.ints("ksize", null),
            "strides",
            c.node.ints("strides", null),
            "padding",
            padding(c),
            "dataFormat",
            c.node.string("data_format", "NHWC")),
        c.in(0));
  }

  private static Tensor biasAdd(TfOpContext c) {
    String format = c.node.string("data_format", "NHWC");
    return c.composite(() -> c.g.nn().biasAdd(c.in(0), c.in(1), format));
  }

  private static Tensor squeeze(TfOpContext c) {
    long[] axes = c.node.ints("squeeze_dims", new long[0]);
    return c.op("squeeze", axes.length == 0 ? Attrs.empty() : Attrs.of("axes", axes), c.in(0));
  }

  private static Tensor concat(TfOpContext c) {
    int n = c.arity() - 1;
    long axis = c.constInts(n, "axis")[0];
    return c.g.add("concat", c.ins().subList(0, n), Attrs.of("axis", axis), c.baseName()).get(0);
  }

  private static Tensor pad(TfOpContext c, double value) {
    if (Double.isNaN(value)) {
      throw c.fail("its constant_values must be a constant");
    }
    return c.op(
        "pad", Attrs.of("paddings", c.constInts(1, "paddings"), "constantValue", value), c.in(0));
  }

  private static Tensor argMax(TfOpContext c) {
    long axis = c.constInts(1, "dimension")[0];
    DType out = c.node.has("output_type") ? c.node.dtype("output_type") : DType.INT64;
    if (out == DType.INT64) {
      return c.op("argMax", Attrs.of("axis", axis), c.in(0));
    }
    return c.composite(() -> c.ops().cast(c.ops().argMax(c.in(0), (int) axis), out));
  }
}
