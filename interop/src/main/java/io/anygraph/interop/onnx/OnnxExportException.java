package io.anygraph.interop.onnx;

import io.anygraph.core.AnygraphException;

/** A graph that cannot be written as ONNX; the message names the node and its op. */
public class OnnxExportException extends AnygraphException {
  public OnnxExportException(String message) {
    super(message);
  }
}
