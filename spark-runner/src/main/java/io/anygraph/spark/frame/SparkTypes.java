package io.anygraph.spark.frame;

import io.anygraph.core.DType;
import java.nio.ByteBuffer;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * How tensor dtypes and Spark SQL element types correspond. Spark has no 16-bit floats, so float16
 * and bfloat16 tensors are fed from and fetched to float columns (converted by ND4J).
 */
final class SparkTypes {
  private SparkTypes() {}

  /** The dtype values travel as between rows and arrays: the tensor's own, or float32. */
  static DType wire(DType t) {
    return t == DType.FLOAT16 || t == DType.BFLOAT16 ? DType.FLOAT32 : t;
  }

  /** The Spark element type of a column that feeds or receives {@code t}. */
  static DataType element(DType t) {
    return switch (wire(t)) {
      case BOOL -> DataTypes.BooleanType;
      case INT8 -> DataTypes.ByteType;
      case INT16 -> DataTypes.ShortType;
      case INT32 -> DataTypes.IntegerType;
      case INT64 -> DataTypes.LongType;
      case FLOAT32 -> DataTypes.FloatType;
      case FLOAT64 -> DataTypes.DoubleType;
      default -> throw new IllegalStateException("no wire type for " + t);
    };
  }

  /**
   * Appends one element (a boxed value of the wire dtype's Java type) to a little-endian buffer.
   */
  static void put(ByteBuffer b, DType wire, Object v) {
    switch (wire) {
      case BOOL -> b.put((byte) ((Boolean) v ? 1 : 0));
      case INT8 -> b.put((Byte) v);
      case INT16 -> b.putShort((Short) v);
      case INT32 -> b.putInt((Integer) v);
      case INT64 -> b.putLong((Long) v);
      case FLOAT32 -> b.putFloat((Float) v);
      case FLOAT64 -> b.putDouble((Double) v);
      default -> throw new IllegalStateException("no wire type " + wire);
    }
  }

  /** The next element of a little-endian buffer, boxed. */
  static Object get(ByteBuffer b, DType wire) {
    return switch (wire) {
      case BOOL -> b.get() != 0;
      case INT8 -> b.get();
      case INT16 -> b.getShort();
      case INT32 -> b.getInt();
      case INT64 -> b.getLong();
      case FLOAT32 -> b.getFloat();
      case FLOAT64 -> b.getDouble();
      default -> throw new IllegalStateException("no wire type " + wire);
    };
  }

  /** The next {@code n} elements as a primitive Java array (float[], long[], ...). */
  static Object getArray(ByteBuffer b, DType wire, int n) {
    switch (wire) {
      case BOOL -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          a[i] = b.get() != 0;
        }
        return a;
      }
      case INT8 -> {
        byte[] a = new byte[n];
        b.get(a);
        return a;
      }
      case INT16 -> {
        short[] a = new short[n];
        b.asShortBuffer().get(a);
        b.position(b.position() + 2 * n);
        return a;
      }
      case INT32 -> {
        int[] a = new int[n];
        b.asIntBuffer().get(a);
        b.position(b.position() + 4 * n);
        return a;
      }
      case INT64 -> {
        long[] a = new long[n];
        b.asLongBuffer().get(a);
        b.position(b.position() + 8 * n);
        return a;
      }
      case FLOAT32 -> {
        float[] a = new float[n];
        b.asFloatBuffer().get(a);
        b.position(b.position() + 4 * n);
        return a;
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        b.asDoubleBuffer().get(a);
        b.position(b.position() + 8 * n);
        return a;
      }
      default -> throw new IllegalStateException("no wire type " + wire);
    }
  }
}
