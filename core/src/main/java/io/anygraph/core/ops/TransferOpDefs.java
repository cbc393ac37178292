package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * The two ends of a transfer between devices, inserted by the partitioner where an edge crosses
 * devices, so that each device's subgraph has only local edges. {@code send(x)} hands x over under
 * attribute {@code key} (to device {@code to}) and outputs true; {@code recv()} waits for the value
 * sent under {@code key} (from device {@code from}) and outputs it, typed by attributes {@code
 * dtype} and {@code shape}. A control edge is sent as a bool token.
 */
final class TransferOpDefs {
  private TransferOpDefs() {}

  static void define() {
    register(
        OpDef.noGradient(
                "send",
                c -> {
                  c.requireInputs(1);
                  c.attrs().getString("key");
                  return List.of(TensorType.scalar(DType.BOOL));
                })
            .asStateful());
    register(
        OpDef.noGradient(
                "recv",
                c -> {
                  c.requireInputs(0);
                  c.attrs().getString("key");
                  return List.of(
                      new TensorType(c.attrs().getDType("dtype"), c.attrs().getShape("shape")));
                })
            .asStateful());
  }
}
