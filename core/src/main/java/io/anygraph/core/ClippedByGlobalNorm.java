package io.anygraph.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result of {@link Ops#clipByGlobalNorm}: the scaled tensors (null where the input was null)
 * and the global norm they were scaled by, {@code sqrt(sum over all tensors of sum(t * t))}.
 *
 * @param tensors {@code t * clipNorm / max(globalNorm, clipNorm)}, in the order given
 * @param globalNorm the L2 norm of all tensors together, before clipping (a scalar)
 */
public record ClippedByGlobalNorm(List<Tensor> tensors, Tensor globalNorm) {

  static ClippedByGlobalNorm of(Ops o, List<Tensor> tensors, double clipNorm) {
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new AnygraphException(
          "clipByGlobalNorm: clipNorm must be positive and finite, not " + clipNorm);
    }
    Tensor first = tensors.stream().filter(t -> t != null).findFirst().orElse(null);
    if (first == null) {
      throw new AnygraphException("clipByGlobalNorm: no tensor to clip (every entry is null)");
    }
    Tensor squares = null;
    for (Tensor t : tensors) {
      if (t == null) {
        continue;
      }
      if (t.dtype() != first.dtype() || !t.dtype().isFloating()) {
        throw new AnygraphException(
            "clipByGlobalNorm: every tensor must have the floating dtype of "
                + first.name()
                + " ("
                + first.dtype()
                + "), but "
                + t.name()
                + " is "
                + t.dtype()
                + " "
                + t.shape());
      }
      Tensor s = o.reduceSum(o.square(t), new int[0], false); // empty axes: all
      squares = squares == null ? s : o.add(squares, s);
    }
    Tensor norm = o.sqrt(squares);
    Tensor limit = o.scalarLike(clipNorm, norm);
    // norm - norm is NaN for an infinite or NaN norm and 0 otherwise: TensorFlow's NaN result
    Tensor scale = o.add(o.div(limit, o.maximum(norm, limit)), o.sub(norm, norm));
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : tensors) {
      out.add(t == null ? null : o.mul(t, scale));
    }
    return new ClippedByGlobalNorm(Collections.unmodifiableList(out), norm);
  }
}
