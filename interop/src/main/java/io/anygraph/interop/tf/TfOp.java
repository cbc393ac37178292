package io.anygraph.interop.tf;

import io.anygraph.core.Tensor;
import java.util.List;

/**
 * How one TensorFlow op becomes Anygraph ops: a builder, and optionally a folder that computes the
 * node's value while importing when its inputs are known (shape arithmetic).
 *
 * @param build the node's outputs, in TensorFlow's output order; null for an op that can only be
 *     folded
 * @param fold the value when known while importing, or null; may itself return null
 */
record TfOp(Builder build, Folder fold) {
  /** Builds a node's outputs. */
  interface Builder {
    List<Tensor> build(TfOpContext c);
  }

  /** Folds a node whose value is known while importing; null when it is not. */
  interface Folder {
    Folded fold(TfOpContext c);
  }

  /** A mapping with one output. */
  interface Single {
    Tensor build(TfOpContext c);
  }

  static TfOp single(Single s) {
    return new TfOp(c -> List.of(s.build(c)), null);
  }

  static TfOp single(Single s, Folder f) {
    return new TfOp(c -> List.of(s.build(c)), f);
  }
}
