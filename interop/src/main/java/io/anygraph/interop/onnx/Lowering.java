package io.anygraph.interop.onnx;

import com.google.protobuf.ByteString;
import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Values;
import io.anygraph.interop.onnx.proto.AttributeProto;
import io.anygraph.interop.onnx.proto.GraphProto;
import io.anygraph.interop.onnx.proto.NodeProto;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an {@link OnnxOpTable} rule sees while it lowers one Anygraph node: the ONNX names of the
 * node's inputs and outputs, and methods that append ONNX nodes and constant initializers to the
 * graph being built. Helper values get names {@code <node>#<k>}, which no Anygraph name can take
 * ({@code #} is not allowed there).
 */
final class Lowering {
  private final GraphProto.Builder graph;
  private Node node;
  private int helpers;

  Lowering(GraphProto.Builder graph) {
    this.graph = graph;
  }

  /** The ONNX value name of an Anygraph tensor: the node's name for output 0, else name:i. */
  static String valueName(Tensor t) {
    return t.index() == 0 ? t.node().name() : t.name();
  }

  void lower(Node n, OnnxRule rule) {
    node = n;
    helpers = 0;
    rule.lower(this);
  }

  Node node() {
    return node;
  }

  Attrs attrs() {
    return node.attrs();
  }

  String in(int i) {
    return valueName(node.input(i));
  }

  Shape inShape(int i) {
    return node.input(i).shape();
  }

  DType inDType(int i) {
    return node.input(i).dtype();
  }

  /** The ONNX name of this node's output {@code i}. */
  String out(int i) {
    return i == 0 ? node.name() : Tensor.name(node.name(), i);
  }

  String out() {
    return out(0);
  }

  DType outDType() {
    return node.output(0).dtype();
  }

  /** A fresh name for a value only the ONNX graph has. */
  String helper() {
    return node.name() + "#" + helpers++;
  }

  /** Appends {@code opType(inputs) -> output} and returns the output's name. */
  String emit(String opType, List<String> inputs, String output, AttributeProto... attributes) {
    graph.addNode(
        NodeProto.newBuilder()
            .setOpType(opType)
            .setName(output)
            .addAllInput(inputs)
            .addOutput(output)
            .addAllAttribute(Arrays.asList(attributes)));
    return output;
  }

  /** {@code opType(inputs)} into a fresh helper value. */
  String helper(String opType, List<String> inputs, AttributeProto... attributes) {
    return emit(opType, inputs, helper(), attributes);
  }

  /** A graph initializer (a constant or a variable's value) under {@code name}. */
  void initializer(String name, INDArray value) {
    try {
      graph.addInitializer(OnnxTensors.tensor(name, value));
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
  }

  /** An int64 vector constant (shapes, axes, pads, as ONNX takes them since opset 13). */
  String int64s(long... values) {
    String name = helper();
    initializer(name, Nd4j.createFromArray(values));
    return name;
  }

  /** A scalar constant of {@code dtype}. */
  String scalar(double value, DType dtype) {
    String name = helper();
    initializer(name, Values.scalar(value, dtype));
    return name;
  }

  /** An export error naming this node, its op and the input types. */
  OnnxExportException fail(String why) {
    StringBuilder types = new StringBuilder();
    for (Tensor t : node.inputs()) {
      types.append(types.length() == 0 ? "" : ", ").append(t.type());
    }
    return new OnnxExportException(
        "Cannot export node " + node + " with inputs [" + types + "] to ONNX: " + why);
  }

  static AttributeProto attr(String name, long v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  static AttributeProto attr(String name, long[] v) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  static AttributeProto attr(String name, String v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v))
        .build();
  }

  /** A one-element tensor attribute (ConstantOfShape's {@code value}). */
  static AttributeProto valueAttr(double v, DType dtype) {
    return AttributeProto.newBuilder()
        .setName("value")
        .setType(AttributeProto.AttributeType.TENSOR)
        .setT(OnnxTensors.tensor("value", Values.scalar(v, dtype).reshape(1)))
        .build();
  }
}
