package io.anygraph.interop.tf;

import static io.anygraph.interop.tf.TfCase.data;
import static io.anygraph.interop.tf.TfCase.positive;
import static io.anygraph.interop.tf.TfCase.scaled;

import io.anygraph.interop.tf.TfCase.Built;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;

/** The differential cases, one or more per mapped op, with shapes and attributes varied. */
final class TfCases {
  private TfCases() {}

  static List<TfCase> all() {
    List<TfCase> cases = new ArrayList<>();
    // elementwise binary ops, same shapes and broadcast
    for (String op :
        List.of("Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "Maximum", "Minimum")) {
      cases.add(
          new TfCase(
              op + " [2,3] [2,3]",
              tf ->
                  Built.of(
                      tf.op(
                          op,
                          "y",
                          Map.of(),
                          tf.input("a", data(6, 1), 2, 3),
                          tf.input("b", positive(6, 2), 2, 3)),
                      "a",
                      "b")));
      cases.add(
          new TfCase(
              op + " [2,3] [3]",
              tf ->
                  Built.of(
                      tf.op(
                          op,
                          "s/y",
                          Map.of(),
                          tf.input("a", data(6, 3), 2, 3),
                          tf.input("b", positive(3, 4), 3)),
                      "a",
                      "b")));
    }
    cases.add(
        new TfCase(
            "Pow",
            tf ->
                Built.of(
                    tf.op(
                        "Pow",
                        "y",
                        Map.of(),
                        tf.input("a", positive(6, 5), 2, 3),
                        tf.input("b", data(6, 6), 2, 3)),
                    "a",
                    "b")));
    cases.add(
        new TfCase(
            "FloorDiv",
            tf ->
                Built.of(
                    tf.op(
                        "FloorDiv",
                        "y",
                        Map.of(),
                        tf.input("a", scaled(data(6, 7), 9), 2, 3),
                        tf.input("b", positive(3, 8), 3)))));
    for (String op :
        List.of("Neg", "Square", "Exp", "Abs", "Relu", "Sigmoid", "Tanh", "Identity")) {
      cases.add(
          new TfCase(
              op,
              tf ->
                  Built.of(
                      tf.op(op, "y", Map.of(), tf.input("x", scaled(data(12, 9), 3), 3, 4)), "x")));
    }
    for (String op : List.of("Sqrt", "Log", "Rsqrt")) {
      cases.add(
          new TfCase(
              op,
              tf ->
                  Built.of(tf.op(op, "y", Map.of(), tf.input("x", positive(12, 10), 4, 3)), "x")));
    }
    for (String op : List.of("Sign", "ZerosLike", "OnesLike")) {
      cases.add(
          new TfCase(op, tf -> Built.of(tf.op(op, "y", Map.of(), tf.input("x", data(6, 11), 6)))));
    }
    cases.add(
        new TfCase(
            "Relu6",
            tf ->
                Built.of(
                    tf.op("Relu6", "y", Map.of(), tf.input("x", scaled(data(20, 12), 9), 4, 5)),
                    "x")));
    for (String op : List.of("Softmax", "LogSoftmax")) {
      cases.add(
          new TfCase(
              op + " [3,5]",
              tf ->
                  Built.of(
                      tf.op(op, "y", Map.of(), tf.input("x", scaled(data(15, 13), 4), 3, 5)),
                      "x")));
      cases.add(
          new TfCase(
              op + " [2,2,4]",
              // Outputs only: TensorFlow's C++ LogSoftmax gradient (cc/gradients/nn_grad.cc)
              // sums over axis 1, not the last axis, so it is wrong above rank 2.
              tf -> Built.of(tf.op(op, "y", Map.of(), tf.input("x", data(16, 14), 2, 2, 4)))));
    }
    cases.add(
        new TfCase(
            "Cast float->int32",
            tf ->
                Built.of(
                    tf.op(
                        "Cast",
                        "y",
                        Map.of("DstT", DataType.DT_INT32),
                        tf.input("x", scaled(data(6, 15), 5), 6)))));
    cases.add(
        new TfCase(
            "Cast int32->float",
            tf ->
                Built.of(
                    tf.op(
                        "Cast",
                        "y",
                        Map.of("DstT", DataType.DT_FLOAT),
                        tf.intInput("x", new double[] {3, -1, 4}, 3)))));
    // comparisons and selection
    for (String op : List.of("Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual")) {
      cases.add(
          new TfCase(
              op,
              tf ->
                  Built.of(
                      tf.op(
                          op,
                          "y",
                          Map.of(),
                          tf.input("a", new double[] {1, 2, 3, 3, 2, 1}, 2, 3),
                          tf.input("b", new double[] {2, 2, 2}, 3)))));
    }
    cases.add(
        new TfCase(
            "Select (row condition)",
            tf -> {
              Output<?> a = tf.input("a", data(6, 16), 2, 3);
              Output<?> cond =
                  tf.op(
                      "Greater",
                      "cond",
                      Map.of(),
                      tf.input("r", new double[] {1, -1}, 2),
                      tf.floats(new double[] {0}));
              return Built.of(
                  tf.op("Select", "y", Map.of(), cond, a, tf.input("b", data(6, 17), 2, 3)),
                  "a",
                  "b");
            }));
    cases.add(
        new TfCase(
            "SelectV2 (broadcast)",
            tf -> {
              Output<?> a = tf.input("a", data(6, 18), 2, 3);
              Output<?> cond =
                  tf.op(
                      "Greater",
                      "cond",
                      Map.of(),
                      tf.input("r", new double[] {1, -1, 1}, 3),
                      tf.floats(new double[] {0}));
              return Built.of(
                  tf.op("SelectV2", "y", Map.of(), cond, a, tf.input("b", data(6, 19), 2, 3)),
                  "a",
                  "b");
            }));
    // linear algebra
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        cases.add(
            new TfCase(
                "MatMul ta=" + ta + " tb=" + tb,
                tf -> {
                  Output<?> a =
                      ta ? tf.input("a", data(6, 20), 3, 2) : tf.input("a", data(6, 20), 2, 3);
                  Output<?> b =
                      tb ? tf.input("b", data(12, 21), 4, 3) : tf.input("b", data(12, 21), 3, 4);
                  return Built.of(
                      tf.op(
                          "MatMul", "layer/y", Map.of("transpose_a", ta, "transpose_b", tb), a, b),
                      "a",
                      "b");
                }));
      }
    }
    cases.add(
        new TfCase(
            "BatchMatMul adj_x",
            tf ->
                Built.of(
                    tf.op(
                        "BatchMatMul",
                        "y",
                        Map.of("adj_x", true),
                        tf.input("a", data(24, 22), 2, 4, 3),
                        tf.input("b", data(40, 23), 2, 4, 5)),
                    "a",
                    "b")));
    cases.add(
        new TfCase(
            "BatchMatMulV2 broadcast",
            tf ->
                Built.of(
                    tf.op(
                        "BatchMatMulV2",
                        "y",
                        Map.of(),
                        tf.input("a", data(24, 24), 2, 3, 4),
                        tf.input("b", data(20, 25), 4, 5)),
                    "a",
                    "b")));
    // convolution and pooling
    cases.add(
        new TfCase(
            "Conv2D SAME s1",
            tf ->
                Built.of(
                    tf.op(
                        "Conv2D",
                        "conv/y",
                        Map.of("strides", new long[] {1, 1, 1, 1}, "padding", "SAME"),
                        tf.input("x", data(2 * 5 * 5 * 2, 26), 2, 5, 5, 2),
                        tf.input("w", data(3 * 3 * 2 * 4, 27), 3, 3, 2, 4)),
                    "x",
                    "w")));
    cases.add(
        new TfCase(
            "Conv2D VALID s2",
            tf ->
                Built.of(
                    tf.op(
                        "Conv2D",
                        "y",
                        Map.of("strides", new long[] {1, 2, 2, 1}, "padding", "VALID"),
                        tf.input("x", data(1 * 7 * 6 * 3, 28), 1, 7, 6, 3),
                        tf.input("w", data(2 * 2 * 3 * 2, 29), 2, 2, 3, 2)),
                    "x",
                    "w")));
    cases.add(
        new TfCase(
            "MaxPool SAME 2x2 s2",
            tf ->
                Built.of(
                    tf.op(
                        "MaxPool",
                        "y",
                        Map.of(
                            "ksize",
                            new long[] {1, 2, 2, 1},
                            "strides",
                            new long[] {1, 2, 2, 1},
                            "padding",
                            "SAME"),
                        tf.input("x", data(2 * 5 * 5 * 3, 30), 2, 5, 5, 3)),
                    "x")));
    cases.add(
        new TfCase(
            "AvgPool VALID 3x3 s1",
            tf ->
                Built.of(
                    tf.op(
                        "AvgPool",
                        "y",
                        Map.of(
                            "ksize",
                            new long[] {1, 3, 3, 1},
                            "strides",
                            new long[] {1, 1, 1, 1},
                            "padding",
                            "VALID"),
                        tf.input("x", data(1 * 5 * 4 * 2, 31), 1, 5, 4, 2)),
                    "x")));
    cases.add(
        new TfCase(
            "BiasAdd NHWC",
            tf ->
                Built.of(
                    tf.op(
                        "BiasAdd",
                        "y",
                        Map.of(),
                        tf.input("x", data(2 * 3 * 3 * 4, 32), 2, 3, 3, 4),
                        tf.input("b", data(4, 33), 4)),
                    "x",
                    "b")));
    cases.add(
        new TfCase(
            "BiasAdd NCHW",
            tf ->
                Built.of(
                    tf.op(
                        "BiasAdd",
                        "y",
                        Map.of("data_format", "NCHW"),
                        tf.input("x", data(2 * 4 * 3 * 3, 34), 2, 4, 3, 3),
                        tf.input("b", data(4, 35), 4)),
                    "x",
                    "b")));
    cases.add(
        new TfCase(
            "SoftmaxCrossEntropyWithLogits",
            tf -> {
              Output<?> labels =
                  tf.op("Softmax", "labels", Map.of(), tf.input("l", data(12, 36), 3, 4));
              var op =
                  tf.build(
                      "SoftmaxCrossEntropyWithLogits",
                      "xent",
                      Map.of(),
                      List.of(),
                      tf.input("x", scaled(data(12, 37), 3), 3, 4),
                      labels);
              return new Built(List.of(op.output(0), op.output(1)), List.of("x"));
            }));
    cases.add(
        new TfCase(
            "SparseSoftmaxCrossEntropyWithLogits",
            tf -> {
              var op =
                  tf.build(
                      "SparseSoftmaxCrossEntropyWithLogits",
                      "xent",
                      Map.of(),
                      List.of(),
                      tf.input("x", scaled(data(15, 38), 3), 3, 5),
                      tf.intInput("labels", new double[] {4, 0, 2}, 3));
              return new Built(List.of(op.output(0), op.output(1)), List.of("x"));
            }));
    TfShapeCases.add(cases);
    return cases;
  }
}
