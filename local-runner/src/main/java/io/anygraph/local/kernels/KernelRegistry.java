package io.anygraph.local.kernels;

import io.anygraph.core.AnygraphException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The local runner's kernels, by op name. Families register here. */
public final class KernelRegistry {
  /** A kernel and who owns its outputs. */
  public record Entry(Kernel kernel, Kernel.Output output) {}

  private static final Map<String, Entry> KERNELS = new HashMap<>();

  static {
    IntraOp.configure();
    SourceKernels.register();
    MathKernels.register();
    DivisionKernels.register();
    CompareKernels.register();
    ReduceKernels.register();
    ArrayKernels.register();
    LinalgKernels.register();
    StateKernels.register();
    RandomKernels.register();
    NnKernels.register();
    CrossEntropyKernels.register();
    ConvKernels.register();
    IndexingKernels.register();
    SelectionKernels.register();
    ShapeKernels.register();
    TransferKernels.register();
    LayerKernels.register();
    ControlFlowKernels.register();
    TrainingKernels.register();
  }

  private KernelRegistry() {}

  static void add(String op, Kernel.Output output, Kernel kernel) {
    if (KERNELS.putIfAbsent(op, new Entry(kernel, output)) != null) {
      throw new IllegalStateException("two kernels for op '" + op + "'");
    }
  }

  static void add(String op, Kernel kernel) {
    add(op, Kernel.Output.FRESH, kernel);
  }

  public static Entry get(String op) {
    Entry e = KERNELS.get(op);
    if (e == null) {
      throw new AnygraphException("The local runner has no kernel for op '" + op + "'");
    }
    return e;
  }

  public static Set<String> ops() {
    return Set.copyOf(KERNELS.keySet());
  }
}
