package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.TensorType;
import java.util.List;

/**
 * Random sources. Attributes: {@code dtype}, {@code shape}, the distribution's parameters, and an
 * optional {@code seed}. Each run draws new numbers; with seeds set the sequence repeats.
 */
final class RandomOpDefs {
  private RandomOpDefs() {}

  static void define() {
    register(
        OpDef.noGradient(
                "randomNormal",
                c -> {
                  if (c.attrs().getDouble("stddev") < 0) {
                    throw c.fail("stddev must be >= 0, not " + c.attrs().getDouble("stddev"));
                  }
                  return floating(c);
                })
            .asStateful());
    register(
        OpDef.noGradient(
                "randomUniform",
                c -> {
                  if (!(c.attrs().getDouble("min") < c.attrs().getDouble("max"))) {
                    throw c.fail(
                        "min "
                            + c.attrs().getDouble("min")
                            + " must be below max "
                            + c.attrs().getDouble("max"));
                  }
                  return floating(c);
                })
            .asStateful());
    // uniform numbers in the run-time shape of its input (dropout masks over a batch of any size)
    register(
        OpDef.noGradient(
                "randomUniformLike",
                c -> {
                  c.requireInputs(1);
                  return floatingOf(
                      c, List.of(new TensorType(c.attrs().getDType("dtype"), c.shape(0))));
                })
            .asStateful());
  }

  private static List<TensorType> floating(OpContext c) {
    return floatingOf(c, SourceOpDefs.sized(c));
  }

  private static List<TensorType> floatingOf(OpContext c, List<TensorType> types) {
    if (!c.attrs().getDType("dtype").isFloating()) {
      throw c.fail("random values need a floating dtype, not " + c.attrs().getDType("dtype"));
    }
    return types;
  }
}
