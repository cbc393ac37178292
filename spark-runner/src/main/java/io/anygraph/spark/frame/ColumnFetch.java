package io.anygraph.spark.frame;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.core.io.Npy;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fetched tensor that becomes a column: its first axis must be the batch, one row per input row.
 * A {@code [batch]} tensor gives a number column, {@code [batch, d1, ...]} an array column of each
 * row's values in row-major order.
 */
record ColumnFetch(String column, String tensor, String describe, DType dtype, boolean number)
    implements Serializable {

  /** Checks that {@code tensorName} of {@code g} can become column {@code column}. */
  static ColumnFetch bind(Graph g, String column, String tensorName) {
    if (!Bindings.names(g, tensorName) && Bindings.names(g, column)) {
      // the order of the arguments changed (it was fetch(tensor, column)): say so
      throw new AnygraphException(
          "Cannot fetch '"
              + tensorName
              + "' into column '"
              + column
              + "': no such tensor in the graph, but '"
              + column
              + "' is one; fetch takes (column, tensor),"
              + " like feed: did you mean fetch(\""
              + tensorName
              + "\", \""
              + column
              + "\")?");
    }
    Tensor t = Bindings.tensor(g, tensorName, "fetch");
    String describe = Bindings.describe(t);
    if (t.shape().hasRank() && t.shape().rank() == 0) {
      throw new AnygraphException(
          "Cannot fetch "
              + describe
              + " into column '"
              + column
              + "': it is a scalar, and a fetched tensor needs the batch axis first");
    }
    return new ColumnFetch(
        column, t.name(), describe, t.dtype(), t.shape().hasRank() && t.shape().rank() == 1);
  }

  StructField field() {
    DataType element = SparkTypes.element(dtype);
    return DataTypes.createStructField(
        column, number ? element : DataTypes.createArrayType(element, false), false);
  }

  /** Each row's value: a boxed number or a primitive array. */
  Object[] unpack(INDArray out, int rows) {
    if (out.rank() < 1 || out.size(0) != rows) {
      throw new AnygraphException(
          "Fetch "
              + describe
              + " gave shape "
              + Arrays.toString(out.shape())
              + " for a batch of "
              + rows
              + " rows: a fetched tensor must keep the batch axis first");
    }
    DType wire = SparkTypes.wire(dtype);
    INDArray w = wire == dtype ? out : out.castTo(wire.nd4j());
    ByteBuffer b = ByteBuffer.wrap(Npy.rawBytes(w)).order(ByteOrder.LITTLE_ENDIAN);
    int perRow = rows == 0 ? 0 : (int) (out.length() / rows);
    Object[] values = new Object[rows];
    for (int r = 0; r < rows; r++) {
      values[r] = number ? SparkTypes.get(b, wire) : SparkTypes.getArray(b, wire, perRow);
    }
    return values;
  }
}
