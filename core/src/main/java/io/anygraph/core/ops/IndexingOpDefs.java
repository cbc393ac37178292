package io.anygraph.core.ops;

import static io.anygraph.core.ops.OpRegistry.register;

import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import io.anygraph.core.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * Index results and index inputs: {@code argMax(x)} along attribute {@code axis} (int64, as
 * TensorFlow), and {@code oneHot(indices)} with attributes {@code depth}, {@code dtype}, {@code
 * on}, {@code off} (a new last axis; indices outside [0, depth) give all-off rows, as in
 * TensorFlow).
 */
final class IndexingOpDefs {
  private IndexingOpDefs() {}

  static void define() {
    register(
        OpDef.noGradient(
            "argMax",
            c -> {
              c.requireInputs(1);
              c.requireNumeric(0);
              Shape in = c.shape(0);
              if (!in.hasRank()) {
                return List.of(new TensorType(DType.INT64, Shape.unknownRank()));
              }
              if (in.rank() == 0) {
                throw c.fail("argMax needs at least one axis");
              }
              int axis = c.axis(c.attrs().getLong("axis"), in.rank());
              return List.of(
                  new TensorType(DType.INT64, ShapeRules.reduced(in, new int[] {axis}, false)));
            }));
    register(
        OpDef.noGradient(
            "oneHot",
            c -> {
              c.requireInputs(1);
              if (!c.dtype(0).isInteger()) {
                throw c.fail("indices must be integers, not " + c.dtype(0));
              }
              long depth = c.attrs().getLong("depth");
              if (depth < 1) {
                throw c.fail("depth must be positive, not " + depth);
              }
              Shape in = c.shape(0);
              if (!in.hasRank()) {
                return List.of(new TensorType(c.attrs().getDType("dtype"), Shape.unknownRank()));
              }
              List<Long> dims = new ArrayList<>();
              for (long d : in.dims()) {
                dims.add(d);
              }
              dims.add(depth);
              return List.of(
                  new TensorType(
                      c.attrs().getDType("dtype"),
                      Shape.of(dims.stream().mapToLong(Long::longValue).toArray())));
            }));
  }
}
