package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.FeedException;
import io.anygraph.core.Values;
import io.anygraph.core.ops.OpNames;
import io.anygraph.local.kernels.Kernel.Output;

/** Placeholders (always fed), constants and fills. */
final class SourceKernels {
  private SourceKernels() {}

  static void register() {
    add(
        OpNames.PLACEHOLDER,
        c -> {
          throw new FeedException("Placeholder '" + c.node().name() + "' was not fed");
        });
    add("constant", Output.BORROWED, c -> one(c.attrs().getArray("value")));
    add(
        "fill",
        c ->
            one(
                Values.filled(
                    c.attrs().getDouble("value"), c.outputDType(0), c.outputType(0).shape())));
  }
}
