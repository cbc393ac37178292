package io.anygraph.interop.tf;

import io.anygraph.core.Attrs;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;

/**
 * TensorFlow 1.x state: reference variables ({@code VariableV2} + {@code Assign} + {@code
 * Identity}) and resource variables ({@code VarHandleOp} + {@code AssignVariableOp} + {@code
 * ReadVariableOp}) as Anygraph variables. A variable's initializer is its first {@code Assign}
 * whose value does not read the variable, or the value given as {@code .npy}; that {@code Assign}
 * becomes the variable's initializer op under the same name.
 */
final class TfVariables {
  private TfVariables() {}

  static Tensor variable(TfOpContext c) {
    Tensor init = c.importer().initialValue(c);
    if (!init.shape().isFullyDefined()) {
      throw c.fail(
          "initial value " + init.name() + " has shape " + init.shape() + ", not a defined one");
    }
    if (c.node.has("shape") && !c.node.shape("shape").accepts(init.shape())) {
      throw c.fail(
          "declares shape "
              + c.node.shape("shape")
              + " but its initial value "
              + init.name()
              + " has shape "
              + init.shape());
    }
    return c.g.variable(init, c.baseName());
  }

  /** An assignment other than the initializer: an assign op, run when fetched. */
  static Tensor assign(TfOpContext c) {
    Variable v = c.variable(0);
    return c.op("assign", Attrs.empty(), v, c.in(1));
  }

  static Tensor read(TfOpContext c) {
    return c.op("identity", Attrs.empty(), c.variable(0));
  }
}
