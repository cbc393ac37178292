package io.anygraph.core;

/**
 * Base of every error Anygraph raises for bad programs or bad input. Messages name the node, the
 * op, and the shapes or dtypes involved.
 */
public class AnygraphException extends RuntimeException {
  public AnygraphException(String message) {
    super(message);
  }

  public AnygraphException(String message, Throwable cause) {
    super(message, cause);
  }
}
