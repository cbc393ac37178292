package io.anygraph.spark.frame;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.io.Npy;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A column that feeds a tensor, one row per example along the tensor's first (batch) axis: a number
 * column feeds a {@code [batch]} tensor, an array column (or a Spark ML vector, for float64) feeds
 * {@code [batch, d1, ...]} with each row's values flattened in row-major order. Checked against the
 * schema on the driver ({@link #bind}); rows are packed into one array per batch on the executors
 * ({@link #pack}).
 */
record ColumnFeed(
    String column,
    int index,
    String tensor,
    String describe,
    DType dtype,
    Kind kind,
    long[] rowShape)
    implements Serializable {

  enum Kind {
    NUMBER,
    ARRAY,
    VECTOR
  }

  /** Checks that {@code column} of {@code schema} can feed {@code tensorName} of {@code g}. */
  static ColumnFeed bind(Graph g, StructType schema, String column, String tensorName) {
    Tensor t = Bindings.tensor(g, tensorName, "feed");
    String describe = Bindings.describe(t);
    int index = Bindings.column(schema, column);
    DataType type = schema.fields()[index].dataType();
    DataType element = SparkTypes.element(t.dtype());
    Kind kind;
    if (type.equals(element)) {
      kind = Kind.NUMBER;
    } else if (type instanceof ArrayType a && a.elementType().equals(element)) {
      kind = Kind.ARRAY;
    } else if (type instanceof VectorUDT && t.dtype() == DType.FLOAT64) {
      kind = Kind.VECTOR;
    } else {
      throw new AnygraphException(
          "Column '"
              + column
              + "' ("
              + type.simpleString()
              + ") cannot feed "
              + describe
              + ": expected "
              + element.simpleString()
              + " or array<"
              + element.simpleString()
              + ">"
              + (t.dtype() == DType.FLOAT64 ? " or an ML vector" : "")
              + " (cast the column, e.g. col(\""
              + column
              + "\").cast(\"array<"
              + element.simpleString()
              + ">\"))");
    }
    long[] rowShape = null;
    if (t.shape().hasRank()) {
      long[] dims = t.shape().dims();
      if (dims.length == 0) {
        throw new AnygraphException(
            "Column '"
                + column
                + "' cannot feed "
                + describe
                + ": a scalar has no batch axis for the rows");
      }
      rowShape = Arrays.copyOfRange(dims, 1, dims.length);
      if (kind == Kind.NUMBER && rowShape.length > 0) {
        throw new AnygraphException(
            "Column '"
                + column
                + "' ("
                + type.simpleString()
                + ") holds one "
                + "number per row, but "
                + describe
                + " needs "
                + Shape.of(rowShape)
                + " per row: use an array column");
      }
      if (Arrays.stream(rowShape).filter(d -> d < 0).count() > 1) {
        throw new AnygraphException(
            "Column '"
                + column
                + "' cannot feed "
                + describe
                + ": with more than one unknown dimension per row, the row's shape is ambiguous");
      }
    }
    return new ColumnFeed(column, index, t.name(), describe, t.dtype(), kind, rowShape);
  }

  /**
   * The rows' values of this column as one array of the tensor's dtype, [rows, ...]; {@code first}
   * (the index of rows[0] in its partition) and {@code partition} name a bad row.
   */
  INDArray pack(List<Row> rows, long first, String partition) {
    int n = rows.size();
    int perRow = -1;
    DType wire = SparkTypes.wire(dtype);
    ByteBuffer buf = null;
    for (int r = 0; r < n; r++) {
      Object v = rows.get(r).get(index);
      if (v == null) {
        throw bad(first + r, partition, "is null");
      }
      List<?> values =
          switch (kind) {
            case NUMBER -> List.of(v);
            case ARRAY -> rows.get(r).getList(index);
            case VECTOR -> Arrays.stream(((Vector) v).toArray()).boxed().toList();
          };
      if (perRow < 0) {
        perRow = values.size();
        checkRowLength(perRow, first + r, partition);
        buf =
            ByteBuffer.allocate(Math.multiplyExact(n, perRow) * wire.nd4j().width())
                .order(ByteOrder.LITTLE_ENDIAN);
      } else if (values.size() != perRow) {
        throw bad(
            first + r,
            partition,
            "has " + values.size() + " values, row " + first + " had " + perRow);
      }
      for (Object e : values) {
        if (e == null) {
          throw bad(first + r, partition, "holds a null element");
        }
        SparkTypes.put(buf, wire, e);
      }
    }
    long[] shape = batchShape(n, Math.max(perRow, 0));
    INDArray packed = Npy.fromRawBytes(wire, shape, 'c', buf == null ? new byte[0] : buf.array());
    return wire == dtype ? packed : packed.castTo(dtype.nd4j());
  }

  private void checkRowLength(int perRow, long row, String partition) {
    if (rowShape == null || Arrays.stream(rowShape).anyMatch(d -> d < 0)) {
      long known =
          rowShape == null
              ? 1
              : Arrays.stream(rowShape).filter(d -> d >= 0).reduce(1, (a, b) -> a * b);
      if (known == 0 ? perRow != 0 : perRow % known != 0) {
        throw bad(
            row,
            partition,
            "has " + perRow + " values, which do not fill rows of " + Shape.of(rowShape));
      }
      return;
    }
    long want = Arrays.stream(rowShape).reduce(1, (a, b) -> a * b);
    if (perRow != want) {
      throw bad(
          row,
          partition,
          "has " + perRow + " values; " + Shape.of(rowShape) + " per row needs " + want);
    }
  }

  /** [n] + the row shape, with an unknown row dimension solved from the values per row. */
  private long[] batchShape(int n, int perRow) {
    if (rowShape == null) {
      return kind == Kind.NUMBER ? new long[] {n} : new long[] {n, perRow};
    }
    long[] shape = new long[rowShape.length + 1];
    shape[0] = n;
    long known = Arrays.stream(rowShape).filter(d -> d >= 0).reduce(1, (a, b) -> a * b);
    for (int i = 0; i < rowShape.length; i++) {
      shape[i + 1] = rowShape[i] >= 0 ? rowShape[i] : known == 0 ? 0 : perRow / known;
    }
    return shape;
  }

  private AnygraphException bad(long row, String partition, String what) {
    return new AnygraphException(
        "Column '"
            + column
            + "' feeding "
            + describe
            + ": row "
            + row
            + " of "
            + partition
            + " "
            + what);
  }
}
