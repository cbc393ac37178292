package io.anygraph.board;

import com.google.protobuf.ByteString;
import io.anygraph.board.events.proto.AttrValue;
import io.anygraph.board.events.proto.DataType;
import io.anygraph.board.events.proto.TensorProto;
import io.anygraph.board.events.proto.TensorShapeProto;
import io.anygraph.core.DType;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Subgraph;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Anygraph attribute values as TensorFlow's {@code AttrValue}s, and attribute values shown as short
 * text in the viewer.
 */
final class AttrValues {
  /**
   * Constants up to this many elements keep their values in the GraphDef; larger ones only their
   * dtype and shape (the graph file holds the values).
   */
  static final int MAX_TENSOR_VALUES = 1024;

  /** Values shown in the viewer for a small constant. */
  private static final int SHOWN_VALUES = 8;

  private AttrValues() {}

  static DataType dataType(DType t) {
    return switch (t) {
      case BOOL -> DataType.DT_BOOL;
      case INT8 -> DataType.DT_INT8;
      case INT16 -> DataType.DT_INT16;
      case INT32 -> DataType.DT_INT32;
      case INT64 -> DataType.DT_INT64;
      case FLOAT16 -> DataType.DT_HALF;
      case BFLOAT16 -> DataType.DT_BFLOAT16;
      case FLOAT32 -> DataType.DT_FLOAT;
      case FLOAT64 -> DataType.DT_DOUBLE;
    };
  }

  /** NumPy's name of a TensorFlow type ({@code float32}); TensorFlow's for the rest. */
  static String label(DataType t) {
    return switch (t) {
      case DT_BOOL -> "bool";
      case DT_INT8 -> "int8";
      case DT_INT16 -> "int16";
      case DT_INT32 -> "int32";
      case DT_INT64 -> "int64";
      case DT_UINT8 -> "uint8";
      case DT_HALF -> "float16";
      case DT_BFLOAT16 -> "bfloat16";
      case DT_FLOAT -> "float32";
      case DT_DOUBLE -> "float64";
      case DT_STRING -> "string";
      default -> t.name();
    };
  }

  static TensorShapeProto shape(Shape s) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    if (!s.hasRank()) {
      return b.setUnknownRank(true).build();
    }
    for (long d : s.dims()) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  static AttrValue of(Object v) {
    AttrValue.Builder b = AttrValue.newBuilder();
    if (v instanceof Long l) {
      b.setI(l);
    } else if (v instanceof Double d) {
      b.setF(d.floatValue());
    } else if (v instanceof Boolean z) {
      b.setB(z);
    } else if (v instanceof String s) {
      b.setS(ByteString.copyFromUtf8(s));
    } else if (v instanceof long[] a) {
      b.setList(AttrValue.ListValue.newBuilder().addAllI(Arrays.stream(a).boxed().toList()));
    } else if (v instanceof DType t) {
      b.setType(dataType(t));
    } else if (v instanceof Shape s) {
      b.setShape(shape(s));
    } else if (v instanceof INDArray a) {
      b.setTensor(tensor(a));
    } else if (v instanceof Subgraph g) {
      b.setS(ByteString.copyFromUtf8(nested(g)));
    } else {
      throw new IllegalArgumentException("no AttrValue for " + v.getClass().getName());
    }
    return b.build();
  }

  /** A nested graph in one line: its size and ops; its nodes are drawn beside it. */
  static String nested(Subgraph g) {
    return "graph of "
        + g.graph().size()
        + " ops ("
        + String.join(", ", g.graph().nodes().stream().map(Node::op).distinct().toList())
        + "), "
        + g.inputs().size()
        + " in, "
        + g.outputs().size()
        + " out";
  }

  static AttrValue shapes(List<TensorShapeProto> shapes) {
    return AttrValue.newBuilder()
        .setList(AttrValue.ListValue.newBuilder().addAllShape(shapes))
        .build();
  }

  static AttrValue types(List<DataType> types) {
    return AttrValue.newBuilder()
        .setList(AttrValue.ListValue.newBuilder().addAllType(types))
        .build();
  }

  static AttrValue string(String s) {
    return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
  }

  /** A constant: dtype and shape, and its values when it is small (typed fields, no byte order). */
  static TensorProto tensor(INDArray a) {
    DType dtype = DType.fromNd4j(a.dataType());
    TensorProto.Builder b =
        TensorProto.newBuilder()
            .setDtype(dataType(dtype))
            .setTensorShape(shape(Shape.of(a.shape())));
    long n = a.length();
    if (n > MAX_TENSOR_VALUES) {
      return b.build();
    }
    int len = (int) n;
    switch (dtype) {
      case FLOAT32 -> {
        for (float f : Arrays.copyOf(flat(a, DType.FLOAT32).asFloat(), len)) {
          b.addFloatVal(f);
        }
      }
      case FLOAT64 -> {
        for (double d : Arrays.copyOf(flat(a, DType.FLOAT64).asDouble(), len)) {
          b.addDoubleVal(d);
        }
      }
      case INT64 -> {
        for (long l : Arrays.copyOf(flat(a, DType.INT64).asLong(), len)) {
          b.addInt64Val(l);
        }
      }
      case INT8, INT16, INT32 -> {
        for (int i : Arrays.copyOf(flat(a, DType.INT32).asInt(), len)) {
          b.addIntVal(i);
        }
      }
      case BOOL -> {
        for (int i : Arrays.copyOf(flat(a, DType.INT32).asInt(), len)) {
          b.addBoolVal(i != 0);
        }
      }
      default -> {} // float16, bfloat16: TensorFlow wants raw half bits; dtype and shape suffice
    }
    return b.build();
  }

  /** The values in row-major order, in a buffer of their own. */
  private static DataBuffer flat(INDArray a, DType t) {
    return a.castTo(t.nd4j()).dup('c').data();
  }

  /**
   * Short text for the viewer: {@code 3}, {@code [1, 2, 2, 1]}, {@code "SAME"}, {@code float32[?,
   * 784]}.
   */
  static String show(AttrValue v) {
    return switch (v.getValueCase()) {
      case S -> '"' + v.getS().toString(StandardCharsets.UTF_8) + '"';
      case I -> Long.toString(v.getI());
      case F -> Float.toString(v.getF());
      case B -> Boolean.toString(v.getB());
      case TYPE -> label(v.getType());
      case SHAPE -> show(v.getShape());
      case TENSOR -> show(v.getTensor());
      case LIST -> showList(v.getList());
      case FUNC -> v.getFunc().getName();
      case VALUE_NOT_SET -> "";
    };
  }

  static String show(TensorShapeProto s) {
    if (s.getUnknownRank()) {
      return "<unknown>";
    }
    return s.getDimList().stream()
        .map(d -> d.getSize() < 0 ? "?" : Long.toString(d.getSize()))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String show(TensorProto t) {
    String head = label(t.getDtype()) + show(t.getTensorShape());
    List<?> values =
        t.getFloatValCount() > 0
            ? t.getFloatValList()
            : t.getDoubleValCount() > 0
                ? t.getDoubleValList()
                : t.getIntValCount() > 0
                    ? t.getIntValList()
                    : t.getInt64ValCount() > 0 ? t.getInt64ValList() : t.getBoolValList();
    if (values.isEmpty()) {
      return head;
    }
    String shown =
        values.stream().limit(SHOWN_VALUES).map(String::valueOf).collect(Collectors.joining(", "));
    return head + " = [" + shown + (values.size() > SHOWN_VALUES ? ", ..." : "") + "]";
  }

  private static String showList(AttrValue.ListValue l) {
    List<String> items;
    if (l.getICount() > 0) {
      items = l.getIList().stream().map(String::valueOf).toList();
    } else if (l.getFCount() > 0) {
      items = l.getFList().stream().map(String::valueOf).toList();
    } else if (l.getBCount() > 0) {
      items = l.getBList().stream().map(String::valueOf).toList();
    } else if (l.getTypeCount() > 0) {
      items = l.getTypeList().stream().map(AttrValues::label).toList();
    } else if (l.getShapeCount() > 0) {
      items = l.getShapeList().stream().map(AttrValues::show).toList();
    } else if (l.getTensorCount() > 0) {
      items = l.getTensorList().stream().map(AttrValues::show).toList();
    } else {
      items =
          l.getSList().stream().map(s -> '"' + s.toString(StandardCharsets.UTF_8) + '"').toList();
    }
    return items.stream().collect(Collectors.joining(", ", "[", "]"));
  }
}
