package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.TensorType;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Ops without data inputs: placeholders, constants and fills. */
final class SourceOpDefs {
  private SourceOpDefs() {}

  static void define() {
    register(
        OpDef.noGradient(
            "placeholder",
            c -> {
              c.requireInputs(0);
              return List.of(
                  new TensorType(c.attrs().getDType("dtype"), c.attrs().getShape("shape")));
            }));
    register(
        OpDef.noGradient(
            "constant",
            c -> {
              c.requireInputs(0);
              INDArray v = c.attrs().getArray("value");
              return List.of(new TensorType(DType.fromNd4j(v.dataType()), Shape.of(v.shape())));
            }));
    register(OpDef.noGradient("fill", SourceOpDefs::sized));
  }

  /** Type of a source op with {@code dtype} and a fully defined {@code shape} attribute. */
  static List<TensorType> sized(OpContext c) {
    c.requireInputs(0);
    Shape s = c.attrs().getShape("shape");
    if (!s.isFullyDefined()) {
      throw c.fail("shape " + s + " must be fully defined");
    }
    return List.of(new TensorType(c.attrs().getDType("dtype"), s));
  }
}
