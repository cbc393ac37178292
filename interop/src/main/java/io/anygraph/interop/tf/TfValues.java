package io.anygraph.interop.tf;

import io.anygraph.board.events.proto.TensorProto;
import io.anygraph.board.events.proto.TensorShapeProto;
import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** TensorFlow's dtypes, shapes and {@code TensorProto} values as Anygraph's. */
final class TfValues {
  private TfValues() {}

  /** TensorFlow's {@code DataType} number (types.proto) as an Anygraph dtype. */
  static DType dtype(int tfType, String where) {
    return switch (tfType) {
      case 1 -> DType.FLOAT32;
      case 2 -> DType.FLOAT64;
      case 3 -> DType.INT32;
      case 5 -> DType.INT16;
      case 6 -> DType.INT8;
      case 9 -> DType.INT64;
      case 10 -> DType.BOOL;
      case 14 -> DType.BFLOAT16;
      case 19 -> DType.FLOAT16;
      default ->
          throw new GraphImportException(
              where + ": TensorFlow dtype " + tfName(tfType) + " has no Anygraph dtype");
    };
  }

  private static String tfName(int tfType) {
    return switch (tfType) {
      case 4 -> "uint8";
      case 7 -> "string";
      case 8 -> "complex64";
      case 20 -> "resource";
      case 21 -> "variant";
      default -> "#" + tfType;
    };
  }

  /** A shape; {@code unknown_rank} and {@code -1} dimensions stay unknown. */
  static Shape shape(TensorShapeProto s) {
    if (s.getUnknownRank()) {
      return Shape.unknownRank();
    }
    long[] dims = new long[s.getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.getDim(i).getSize();
    }
    return Shape.of(dims);
  }

  /** The value of a {@code Const}'s tensor, from its packed bytes or its typed repeated field. */
  static INDArray array(TensorProto t, String where) {
    DType dtype = dtype(t.getDtypeValue(), where);
    Shape shape = shape(t.getTensorShape());
    if (!shape.isFullyDefined()) {
      throw new GraphImportException(where + ": constant of shape " + shape + " is not defined");
    }
    int n = Math.toIntExact(shape.size());
    double[] values = new double[n];
    if (!t.getTensorContent().isEmpty()) {
      fromBytes(t, dtype, values, where);
    } else {
      fromRepeated(t, dtype, values, where);
    }
    INDArray flat = Nd4j.createFromArray(values);
    INDArray shaped = shape.rank() == 0 ? Nd4j.scalar(values[0]) : flat.reshape(shape.dims());
    return shaped.castTo(dtype.nd4j());
  }

  private static void fromBytes(TensorProto t, DType dtype, double[] out, String where) {
    ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() != (long) out.length * dtype.bytes()) {
      throw new GraphImportException(
          where
              + ": constant holds "
              + b.remaining()
              + " bytes, not "
              + out.length
              + " "
              + dtype
              + " values");
    }
    for (int i = 0; i < out.length; i++) {
      out[i] =
          switch (dtype) {
            case FLOAT32 -> b.getFloat();
            case FLOAT64 -> b.getDouble();
            case INT64 -> b.getLong();
            case INT32 -> b.getInt();
            case INT16 -> b.getShort();
            case INT8 -> b.get();
            case BOOL -> b.get() != 0 ? 1 : 0;
            default ->
                throw new GraphImportException(
                    where + ": packed " + dtype + " constants are not supported");
          };
    }
  }

  /** TensorFlow's rule: a repeated field shorter than the shape repeats its last value. */
  private static void fromRepeated(TensorProto t, DType dtype, double[] out, String where) {
    int count =
        switch (dtype) {
          case FLOAT32 -> t.getFloatValCount();
          case FLOAT64 -> t.getDoubleValCount();
          case INT64 -> t.getInt64ValCount();
          case INT32, INT16, INT8 -> t.getIntValCount();
          case BOOL -> t.getBoolValCount();
          default ->
              throw new GraphImportException(where + ": " + dtype + " constants are not supported");
        };
    if (count > out.length || count == 0 && out.length > 0) {
      throw new GraphImportException(
          where + ": constant has " + count + " values for " + out.length + " elements");
    }
    for (int i = 0; i < out.length; i++) {
      int k = Math.min(i, count - 1);
      out[i] =
          switch (dtype) {
            case FLOAT32 -> t.getFloatVal(k);
            case FLOAT64 -> t.getDoubleVal(k);
            case INT64 -> t.getInt64Val(k);
            case BOOL -> t.getBoolVal(k) ? 1 : 0;
            default -> t.getIntVal(k);
          };
    }
  }
}
