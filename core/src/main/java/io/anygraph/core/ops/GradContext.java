package io.anygraph.core.ops;

import io.anygraph.core.Node;
import io.anygraph.core.Ops;
import io.anygraph.core.Tensor;
import java.util.List;

/**
 * What a gradient rule sees: the forward node, its inputs and outputs as tensors, and the upstream
 * gradient of each output (null where no gradient arrives).
 */
public record GradContext(
    Node node, List<Tensor> inputs, List<Tensor> outputs, List<Tensor> upstream, Ops ops) {

  public Tensor x(int i) {
    return inputs.get(i);
  }

  public Tensor y() {
    return outputs.get(0);
  }

  /** The upstream gradient of output 0. */
  public Tensor dy() {
    return upstream.get(0);
  }
}
