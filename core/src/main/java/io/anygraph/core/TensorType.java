package io.anygraph.core;

/** The static type of a tensor: element type and (possibly partly unknown) shape. */
public record TensorType(DType dtype, Shape shape) {
  public static TensorType of(DType dtype, long... dims) {
    return new TensorType(dtype, Shape.of(dims));
  }

  public static TensorType scalar(DType dtype) {
    return new TensorType(dtype, Shape.scalar());
  }

  @Override
  public String toString() {
    return dtype + shape.toString();
  }
}
