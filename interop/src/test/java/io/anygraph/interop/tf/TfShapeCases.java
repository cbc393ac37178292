package io.anygraph.interop.tf;

import static io.anygraph.interop.tf.TfCase.data;

import io.anygraph.interop.tf.TfCase.Built;
import java.util.List;
import java.util.Map;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;

/** Cases for layout, slicing, reductions and shape arithmetic (folded and computed when run). */
final class TfShapeCases {
  private TfShapeCases() {}

  static void add(List<TfCase> cases) {
    cases.add(
        new TfCase(
            "Reshape const",
            tf ->
                Built.of(
                    tf.op(
                        "Reshape",
                        "y",
                        Map.of(),
                        tf.input("x", data(24, 40), 2, 3, 4),
                        tf.ints(4, -1)),
                    "x")));
    // tf.reshape(x, [tf.shape(x)[0], prod(tf.shape(x)[1:])]): folded for a known batch...
    cases.add(
        new TfCase(
            "Reshape computed (folded)",
            tf -> Built.of(flatten(tf, tf.input("x", data(24, 41), 2, 3, 4)), "x")));
    // ...and computed when run for an unknown one
    cases.add(
        new TfCase(
            "Reshape computed (run time)",
            tf -> Built.of(flatten(tf, tf.batchInput("x", data(24, 42), 2, 3, 4)), "x")));
    cases.add(
        new TfCase(
            "Shape (run time) int32",
            tf -> Built.of(tf.op("Shape", "y", Map.of(), tf.batchInput("x", data(6, 43), 3, 2)))));
    cases.add(
        new TfCase(
            "Shape (folded) int64",
            tf ->
                Built.of(
                    tf.op(
                        "Shape",
                        "y",
                        Map.of("out_type", DataType.DT_INT64),
                        tf.input("x", data(6, 43), 3, 2)))));
    cases.add(
        new TfCase(
            "Size (run time)",
            tf -> Built.of(tf.op("Size", "y", Map.of(), tf.batchInput("x", data(6, 44), 3, 2)))));
    cases.add(
        new TfCase(
            "ExpandDims at Rank(x) - 1",
            tf -> {
              Output<?> x = tf.input("x", data(6, 45), 2, 3);
              Output<?> axis =
                  tf.op(
                      "Sub", "axis", Map.of(), tf.op("Rank", "rank", Map.of(), x), tf.scalarInt(1));
              return Built.of(tf.op("ExpandDims", "y", Map.of(), x, axis), "x");
            }));
    cases.add(
        new TfCase(
            "Transpose",
            tf ->
                Built.of(
                    tf.op(
                        "Transpose",
                        "y",
                        Map.of(),
                        tf.input("x", data(24, 46), 2, 3, 4),
                        tf.ints(1, 2, 0)),
                    "x")));
    cases.add(
        new TfCase(
            "ExpandDims -1",
            tf ->
                Built.of(
                    tf.op(
                        "ExpandDims",
                        "y",
                        Map.of(),
                        tf.input("x", data(6, 47), 2, 3),
                        tf.scalarInt(-1)),
                    "x")));
    cases.add(
        new TfCase(
            "Squeeze [1]",
            tf ->
                Built.of(
                    tf.op(
                        "Squeeze",
                        "y",
                        Map.of("squeeze_dims", new long[] {1}),
                        tf.input("x", data(6, 48), 2, 1, 3, 1)),
                    "x")));
    cases.add(
        new TfCase(
            "Squeeze all",
            tf ->
                Built.of(
                    tf.op("Squeeze", "y", Map.of(), tf.input("x", data(6, 48), 2, 1, 3, 1)), "x")));
    cases.add(
        new TfCase(
            "ConcatV2 axis 1",
            tf -> {
              List<Output<?>> in =
                  List.of(tf.input("a", data(6, 49), 2, 3), tf.input("b", data(4, 50), 2, 2));
              return Built.of(tf.listOp("ConcatV2", "y", Map.of(), in, tf.scalarInt(1)), "a", "b");
            }));
    cases.add(
        new TfCase(
            "Pack axis 1",
            tf ->
                Built.of(
                    tf.listOp(
                        "Pack",
                        "y",
                        Map.of("axis", 1L),
                        List.<Output<?>>of(
                            tf.input("a", data(6, 51), 2, 3), tf.input("b", data(6, 52), 2, 3))),
                    "a",
                    "b")));
    cases.add(
        new TfCase(
            "Slice",
            tf ->
                Built.of(
                    tf.op(
                        "Slice",
                        "y",
                        Map.of(),
                        tf.input("x", data(12, 53), 3, 4),
                        tf.ints(1, 1),
                        tf.ints(-1, 2)),
                    "x")));
    cases.add(
        new TfCase(
            "StridedSlice x[1:, ::-1]",
            tf ->
                Built.of(
                    strided(
                        tf,
                        data(12, 54),
                        new long[] {3, 4},
                        new int[] {1, 0},
                        new int[] {0, 0},
                        new int[] {1, -1},
                        2,
                        3,
                        0,
                        0,
                        0),
                    "x")));
    cases.add(
        new TfCase(
            "StridedSlice x[..., 1]",
            tf ->
                Built.of(
                    strided(
                        tf,
                        data(24, 55),
                        new long[] {2, 3, 4},
                        new int[] {0, 1},
                        new int[] {0, 2},
                        new int[] {1, 1},
                        0,
                        0,
                        1,
                        0,
                        2),
                    "x")));
    cases.add(
        new TfCase(
            "StridedSlice x[:, newaxis, 1:-1]",
            tf ->
                Built.of(
                    strided(
                        tf,
                        data(12, 56),
                        new long[] {3, 4},
                        new int[] {0, 0, 1},
                        new int[] {0, 0, -1},
                        new int[] {1, 1, 1},
                        1,
                        1,
                        0,
                        2,
                        0),
                    "x")));
    cases.add(
        new TfCase(
            "GatherV2 axis 0",
            tf ->
                Built.of(
                    tf.op(
                        "GatherV2",
                        "y",
                        Map.of(),
                        tf.input("x", data(12, 57), 4, 3),
                        tf.intInput("i", new double[] {3, 0, 3}, 3),
                        tf.scalarInt(0)),
                    "x")));
    cases.add(
        new TfCase(
            "GatherV2 axis 1",
            tf ->
                Built.of(
                    tf.op(
                        "GatherV2",
                        "y",
                        Map.of(),
                        tf.input("x", data(24, 58), 2, 4, 3),
                        tf.intInput("i", new double[] {1, 2, 0, 3}, 2, 2),
                        tf.scalarInt(1)),
                    "x")));
    cases.add(
        new TfCase(
            "Pad",
            tf ->
                Built.of(
                    tf.op(
                        "Pad",
                        "y",
                        Map.of(),
                        tf.input("x", data(6, 59), 2, 3),
                        tf.op("Reshape", "p", Map.of(), tf.ints(1, 0, 0, 2), tf.ints(2, 2))),
                    "x")));
    cases.add(
        new TfCase(
            "PadV2 1.5",
            tf ->
                Built.of(
                    tf.op(
                        "PadV2",
                        "y",
                        Map.of(),
                        tf.input("x", data(6, 60), 2, 3),
                        tf.op("Reshape", "p", Map.of(), tf.ints(0, 1, 2, 1), tf.ints(2, 2)),
                        tf.floats(new double[] {1.5})),
                    "x")));
    cases.add(
        new TfCase(
            "Fill",
            tf ->
                Built.of(
                    tf.op(
                        "Mul",
                        "y",
                        Map.of(),
                        tf.input("x", data(6, 61), 2, 3),
                        tf.op("Fill", "f", Map.of(), tf.ints(2, 3), tf.floats(new double[] {2.5}))),
                    "x")));
    cases.add(
        new TfCase(
            "Sum [1]",
            tf ->
                Built.of(
                    tf.op("Sum", "y", Map.of(), tf.input("x", data(24, 62), 2, 3, 4), tf.ints(1)),
                    "x")));
    cases.add(
        new TfCase(
            "Mean [0,2] keep_dims",
            tf ->
                Built.of(
                    tf.op(
                        "Mean",
                        "y",
                        Map.of("keep_dims", true),
                        tf.input("x", data(24, 63), 2, 3, 4),
                        tf.ints(0, 2)),
                    "x")));
    cases.add(
        new TfCase(
            "Max [-1]",
            tf ->
                Built.of(
                    tf.op("Max", "y", Map.of(), tf.input("x", data(12, 64), 3, 4), tf.ints(-1)),
                    "x")));
    cases.add(
        new TfCase(
            "Min [0]",
            tf ->
                Built.of(
                    tf.op("Min", "y", Map.of(), tf.input("x", data(12, 65), 3, 4), tf.ints(0)),
                    "x")));
    cases.add(
        new TfCase(
            "ArgMax int64",
            tf ->
                Built.of(
                    tf.op(
                        "ArgMax",
                        "y",
                        Map.of(),
                        tf.input("x", data(12, 66), 3, 4),
                        tf.scalarInt(1)))));
    cases.add(
        new TfCase(
            "ArgMax int32 axis 0",
            tf ->
                Built.of(
                    tf.op(
                        "ArgMax",
                        "y",
                        Map.of("output_type", DataType.DT_INT32),
                        tf.input("x", data(12, 67), 3, 4),
                        tf.scalarInt(0)))));
  }

  /** {@code reshape(x, [shape(x)[0], prod(shape(x)[1:])])} as Python's TensorFlow builds it. */
  static Output<?> flatten(TfOracle tf, Output<?> x) {
    Output<?> shape = tf.op("Shape", "flat/Shape", Map.of(), x);
    Output<?> batch =
        tf.op(
            "StridedSlice",
            "flat/batch",
            Map.of("shrink_axis_mask", 1L),
            shape,
            tf.ints(0),
            tf.ints(1),
            tf.ints(1));
    Output<?> rest =
        tf.op(
            "StridedSlice",
            "flat/rest",
            Map.of("end_mask", 1L),
            shape,
            tf.ints(1),
            tf.ints(0),
            tf.ints(1));
    Output<?> features = tf.op("Prod", "flat/Prod", Map.of(), rest, tf.ints(0));
    Output<?> target =
        tf.listOp("Pack", "flat/stack", Map.of(), List.<Output<?>>of(batch, features));
    return tf.op("Reshape", "flat/Reshape", Map.of(), x, target);
  }

  static Output<?> strided(
      TfOracle tf,
      double[] v,
      long[] shape,
      int[] b,
      int[] e,
      int[] s,
      long beginMask,
      long endMask,
      long ellipsis,
      long newAxis,
      long shrink) {
    Output<?> x = tf.input("x", v, shape);
    Map<String, Object> attrs =
        Map.of(
            "begin_mask",
            beginMask,
            "end_mask",
            endMask,
            "ellipsis_mask",
            ellipsis,
            "new_axis_mask",
            newAxis,
            "shrink_axis_mask",
            shrink);
    return tf.op("StridedSlice", "y", attrs, x, tf.ints(b), tf.ints(e), tf.ints(s));
  }
}
