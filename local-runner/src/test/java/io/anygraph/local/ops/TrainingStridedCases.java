package io.anygraph.local.ops;

import static io.anygraph.local.ops.StridedCase.built;
import static io.anygraph.local.ops.StridedCase.index;
import static io.anygraph.local.ops.StridedCase.of;
import static io.anygraph.local.ops.StridedCase.signed;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/** {@link StridedCases} of the optimizers' ops (TrainingOpDefs). */
final class TrainingStridedCases {
  private TrainingStridedCases() {}

  static List<StridedCase> all() {
    DType f64 = DType.FLOAT64;
    DType f32 = DType.FLOAT32;
    return List.of(
        of("sumDuplicateRows", signed(f64, 2, 3, 4), index(DType.INT64, 3, 2, 3)),
        of("sumDuplicateRows", signed(f32, 4, 3), index(DType.INT32, 2, 4)),
        of("cos", signed(f64, 2, 3, 4)),
        of("cos", signed(f32, 2, 3, 4)),
        built(
            "scatterSub",
            (g, xs, a) ->
                List.of(
                    g.add(
                            "scatterSub",
                            List.of(
                                g.shared(Nd4j.ones(f64.nd4j(), 5, 3, 4), "v"),
                                xs.get(0),
                                xs.get(1)),
                            Attrs.empty(),
                            null)
                        .get(0)),
            index(DType.INT64, 5, 2),
            signed(f64, 2, 3, 4)),
        built(
            "scatterUpdate",
            (g, xs, a) ->
                List.of(
                    g.add(
                            "scatterUpdate",
                            List.of(
                                g.shared(Nd4j.ones(f32.nd4j(), 5, 3, 4), "v"),
                                xs.get(0),
                                xs.get(1)),
                            Attrs.empty(),
                            null)
                        .get(0)),
            index(DType.INT32, 5, 2),
            signed(f32, 2, 3, 4)));
  }
}
