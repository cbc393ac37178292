package io.anygraph.interop.onnx;

/** How one Anygraph op becomes ONNX nodes: one entry of {@link OnnxOpTable}. */
@FunctionalInterface
interface OnnxRule {
  /** Appends the ONNX nodes computing the lowered node's outputs, under their ONNX names. */
  void lower(Lowering l);
}
