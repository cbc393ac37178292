package io.anygraph.core;

/**
 * A feed that is missing, unknown, or of the wrong dtype or shape; raised before any kernel runs.
 */
public class FeedException extends AnygraphException {
  public FeedException(String message) {
    super(message);
  }
}
