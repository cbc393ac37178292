package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * Variables and the ops that change them. {@code assign(ref, value)} and {@code assignAdd(ref,
 * delta)} take the variable as a reference (input 0 is not read as a value) and output the new
 * value. Within one run, every read of a variable happens before any write that does not depend on
 * it, so Theano-style updates see the old values.
 */
final class StateOpDefs {
  private StateOpDefs() {}

  static void define() {
    register(
        OpDef.noGradient(
                "variable",
                c -> {
                  c.requireInputs(0);
                  return List.of(
                      new TensorType(c.attrs().getDType("dtype"), c.attrs().getShape("shape")));
                })
            .asStateful());
    register(OpDef.noGradient("assign", StateOpDefs::update).asStateful().withRefInputs(1));
    register(OpDef.noGradient("assignAdd", StateOpDefs::update).asStateful().withRefInputs(1));
    // group(x...): fetching it runs all its inputs (TensorFlow's tf.group); outputs true
    register(OpDef.noGradient("group", c -> List.of(TensorType.scalar(DType.BOOL))));
  }

  static List<TensorType> update(OpContext c) {
    c.requireInputs(2);
    if (!c.inputs().isEmpty() && !c.inputs().get(0).op().equals(OpNames.VARIABLE)) {
      throw c.fail(
          "the first input must be a variable, not the output of a '"
              + c.inputs().get(0).op()
              + "' op");
    }
    if (c.dtype(0) != c.dtype(1)) {
      throw c.fail("value dtype " + c.dtype(1) + " differs from the variable's " + c.dtype(0));
    }
    if (!c.shape(0).accepts(c.shape(1))) {
      throw c.fail("value shape " + c.shape(1) + " differs from the variable's " + c.shape(0));
    }
    return List.of(c.in(0));
  }
}
