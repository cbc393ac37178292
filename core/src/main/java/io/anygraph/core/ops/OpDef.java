package io.anygraph.core.ops;

import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.List;

/**
 * The one definition of an op: its name, how its output types follow from its inputs and
 * attributes, and its gradient written as graph operations (so gradients of gradients work).
 * Kernels live in the runners, keyed by {@link #name()}.
 *
 * @param name registry name, used in graph files and kernels
 * @param types shape and dtype inference; runs when a node is added, and again on the concrete
 *     shapes of a run when the static ones are not fully known
 * @param gradient the symbolic gradient, or null when no gradient flows through the op
 * @param stateful reads or writes state, or is random: never cached, pruned or folded
 * @param refInputs number of leading inputs that are variable references, not values read
 */
public record OpDef(
    String name, TypeRule types, GradRule gradient, boolean stateful, int refInputs) {

  /** Output types from input types and attributes. Calls {@link OpContext#fail} on a mismatch. */
  @FunctionalInterface
  public interface TypeRule {
    List<TensorType> infer(OpContext c);
  }

  /** One gradient per input (null where none flows), built from the upstream gradients. */
  @FunctionalInterface
  public interface GradRule {
    List<Tensor> gradient(GradContext c);
  }

  public static OpDef of(String name, TypeRule types, GradRule gradient) {
    return new OpDef(name, types, gradient, false, 0);
  }

  /** An op through which no gradient flows (comparisons, sources, integer results). */
  public static OpDef noGradient(String name, TypeRule types) {
    return new OpDef(name, types, null, false, 0);
  }

  public OpDef asStateful() {
    return new OpDef(name, types, gradient, true, refInputs);
  }

  public OpDef withRefInputs(int n) {
    return new OpDef(name, types, gradient, stateful, n);
  }

  public boolean isDifferentiable() {
    return gradient != null;
  }

  public List<TensorType> infer(OpContext c) {
    return types.infer(c);
  }
}
