package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.exec;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.NotEqualTo;

/** Broadcasting comparisons (bool results) and select. */
final class CompareKernels {
  private CompareKernels() {}

  static void register() {
    add("greater", c -> one(exec(new GreaterThan(c.in(0), c.in(1)))));
    add("greaterEqual", c -> one(exec(new GreaterThanOrEqual(c.in(0), c.in(1)))));
    add("less", c -> one(exec(new LessThan(c.in(0), c.in(1)))));
    add("lessEqual", c -> one(exec(new LessThanOrEqual(c.in(0), c.in(1)))));
    add("equal", c -> one(exec(new EqualTo(c.in(0), c.in(1)))));
    add("notEqual", c -> one(exec(new NotEqualTo(c.in(0), c.in(1)))));
    add("select", c -> {
      long[] shape = c.outputShape(0);
      INDArray cond = ArrayKernels.broadcastTo(c.in(0), shape);
      INDArray a = ArrayKernels.broadcastTo(c.in(1), shape);
      INDArray b = ArrayKernels.broadcastTo(c.in(2), shape);
      return one(exec(new Select(new INDArray[] {cond, a, b}, null)));
    });
  }
}
