package io.anygraph.interop.onnx;

import com.google.protobuf.ByteString;
import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import io.anygraph.core.Shape;
import io.anygraph.interop.onnx.proto.TensorProto;
import io.anygraph.interop.onnx.proto.TensorShapeProto;
import io.anygraph.interop.onnx.proto.TypeProto;
import io.anygraph.interop.onnx.proto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Anygraph values and types as ONNX tensors, element types and value infos. */
final class OnnxTensors {
  private OnnxTensors() {}

  /** ONNX's {@code TensorProto.DataType} number of an Anygraph dtype. */
  static int elemType(DType t) {
    TensorProto.DataType onnx =
        switch (t) {
          case BOOL -> TensorProto.DataType.BOOL;
          case INT8 -> TensorProto.DataType.INT8;
          case INT16 -> TensorProto.DataType.INT16;
          case INT32 -> TensorProto.DataType.INT32;
          case INT64 -> TensorProto.DataType.INT64;
          case FLOAT16 -> TensorProto.DataType.FLOAT16;
          case BFLOAT16 -> TensorProto.DataType.BFLOAT16;
          case FLOAT32 -> TensorProto.DataType.FLOAT;
          case FLOAT64 -> TensorProto.DataType.DOUBLE;
        };
    return onnx.getNumber();
  }

  /**
   * A named tensor holding {@code value}: little-endian row-major bytes in {@code raw_data}.
   * Half-precision values are not written (their bits would need a conversion this exporter does
   * not have); the caller names the node.
   */
  static TensorProto tensor(String name, INDArray value) {
    INDArray a = Layouts.denseRowMajor(value);
    DType dtype = DType.fromNd4j(a.dataType());
    long n = a.length();
    int width =
        switch (dtype) {
          case BOOL, INT8 -> 1;
          case INT16 -> 2;
          case INT32, FLOAT32 -> 4;
          case INT64, FLOAT64 -> 8;
          case FLOAT16, BFLOAT16 ->
              throw new IllegalArgumentException(
                  "values of type " + dtype + " are not exported; cast them to float32 first");
        };
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n * width)).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case BOOL, INT8 -> {
        for (int v : a.castTo(DataType.INT).data().asInt()) {
          b.put((byte) v);
        }
      }
      case INT16 -> {
        for (int v : a.castTo(DataType.INT).data().asInt()) {
          b.putShort((short) v);
        }
      }
      case INT32 -> b.asIntBuffer().put(a.data().asInt());
      case INT64 -> b.asLongBuffer().put(a.data().asLong());
      case FLOAT32 -> b.asFloatBuffer().put(a.data().asFloat());
      case FLOAT64 -> b.asDoubleBuffer().put(a.data().asDouble());
      default -> throw new IllegalStateException(dtype.toString());
    }
    b.rewind();
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(elemType(dtype))
            .setRawData(ByteString.copyFrom(b));
    for (long d : a.shape()) {
      t.addDims(d);
    }
    return t.build();
  }

  /**
   * The declared type of a graph input or output: known dimensions as numbers, unknown ones as
   * symbols {@code <name>_d<axis>} (ONNX's {@code dim_param}); an unknown rank leaves the shape
   * out.
   */
  static ValueInfoProto valueInfo(String name, DType dtype, Shape shape) {
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(elemType(dtype));
    if (shape.hasRank()) {
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      for (int i = 0; i < shape.rank(); i++) {
        long d = shape.dim(i);
        s.addDim(
            d == Shape.UNKNOWN
                ? TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_d" + i)
                : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      t.setShape(s);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(t))
        .build();
  }
}
