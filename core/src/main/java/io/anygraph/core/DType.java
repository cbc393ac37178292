package io.anygraph.core;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Element types of tensors, with their ND4J counterparts.
 *
 * <p>Integer types keep integer semantics: arithmetic wraps around on overflow (int8 100 + 100 is
 * -56), exactly as in C, NumPy and TensorFlow.
 */
public enum DType {
  BOOL(DataType.BOOL, "bool"),
  INT8(DataType.BYTE, "int8"),
  INT16(DataType.SHORT, "int16"),
  INT32(DataType.INT, "int32"),
  INT64(DataType.LONG, "int64"),
  FLOAT16(DataType.HALF, "float16"),
  BFLOAT16(DataType.BFLOAT16, "bfloat16"),
  FLOAT32(DataType.FLOAT, "float32"),
  FLOAT64(DataType.DOUBLE, "float64");

  private final DataType nd4j;
  private final String label;

  DType(DataType nd4j, String label) {
    this.nd4j = nd4j;
    this.label = label;
  }

  /** The ND4J data type that holds values of this type. */
  public DataType nd4j() {
    return nd4j;
  }

  public boolean isFloating() {
    return this == FLOAT16 || this == BFLOAT16 || this == FLOAT32 || this == FLOAT64;
  }

  public boolean isInteger() {
    return this == INT8 || this == INT16 || this == INT32 || this == INT64;
  }

  public boolean isNumeric() {
    return this != BOOL;
  }

  /** The smallest and largest value an integer type holds. */
  public long minValue() {
    return switch (this) {
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      default -> throw new IllegalStateException(label + " is not an integer type");
    };
  }

  public long maxValue() {
    return switch (this) {
      case INT8 -> Byte.MAX_VALUE;
      case INT16 -> Short.MAX_VALUE;
      case INT32 -> Integer.MAX_VALUE;
      case INT64 -> Long.MAX_VALUE;
      default -> throw new IllegalStateException(label + " is not an integer type");
    };
  }

  /** Bytes per element. */
  public int bytes() {
    return switch (this) {
      case BOOL, INT8 -> 1;
      case INT16, FLOAT16, BFLOAT16 -> 2;
      case INT32, FLOAT32 -> 4;
      case INT64, FLOAT64 -> 8;
    };
  }

  /** The name used in messages and graph files ({@code "float32"}), as in NumPy and TensorFlow. */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }

  public static DType fromLabel(String label) {
    for (DType t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException("Unknown dtype '" + label + "'");
  }

  public static DType fromNd4j(DataType type) {
    for (DType t : values()) {
      if (t.nd4j == type) {
        return t;
      }
    }
    throw new IllegalArgumentException("ND4J data type " + type + " has no Anygraph dtype");
  }
}
