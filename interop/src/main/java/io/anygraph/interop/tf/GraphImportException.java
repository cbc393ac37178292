package io.anygraph.interop.tf;

import io.anygraph.core.AnygraphException;

/**
 * A TensorFlow graph that cannot be imported: an op without a mapping, an attribute or input
 * Anygraph cannot express, or a malformed GraphDef. The message names the TensorFlow node and op.
 */
public final class GraphImportException extends AnygraphException {
  public GraphImportException(String message) {
    super(message);
  }

  public GraphImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
