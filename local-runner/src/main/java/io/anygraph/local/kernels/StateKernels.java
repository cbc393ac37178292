package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.ops.OpNames;
import io.anygraph.local.kernels.Kernel.Output;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Variable reads and writes against the session's variable store. Writes store a new array rather
 * than changing the old one, so values read earlier in the same run stay as they were (only a
 * scatter may change a table in place, when nothing can see the old values: {@link
 * KernelContext#updateVariableInPlace}). The new arrays are the store's own.
 */
final class StateKernels {
  private StateKernels() {}

  static void register() {
    add(OpNames.VARIABLE, Output.BORROWED, c -> one(c.state().variables().readForRun(c.node())));
    add(
        "assign",
        Output.BORROWED,
        c -> {
          INDArray value = c.keepOrCopy(1);
          c.state().variables().writeOwned(c.node().input(0).node(), value);
          return one(value);
        });
    add(
        "assignAdd",
        Output.BORROWED,
        c -> {
          INDArray current = c.state().variables().readForRun(c.node().input(0).node());
          INDArray value = current.add(c.in(1));
          c.state().variables().writeOwned(c.node().input(0).node(), value);
          return one(value);
        });
    // one shared true, not a new native array each step (~15 µs): a fetch gets a copy of a
    // borrowed output
    add(OpNames.GROUP, Output.BORROWED, c -> one(Done.TRUE));
  }

  /** Created on first use, after ND4J's backend has loaded. */
  private static final class Done {
    static final INDArray TRUE = Nd4j.scalar(true);
  }
}
