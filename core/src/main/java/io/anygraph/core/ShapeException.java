package io.anygraph.core;

/** Incompatible shapes or dtypes at an op, found when the node is added or when values arrive. */
public class ShapeException extends AnygraphException {
  public ShapeException(String message) {
    super(message);
  }
}
