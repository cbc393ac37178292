package io.anygraph.interop.tf;

import static io.anygraph.interop.tf.TfCase.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * A small CNN built as Python's TensorFlow 1.x would build it: conv (SAME) + bias + relu, max pool,
 * a reshape to [batch, features] computed from the shape, dense, softmax cross-entropy, mean;
 * reference variables initialized from constants, and an {@code init} op.
 */
final class TfCnn {
  static final int SIDE = 8;
  static final int CLASSES = 3;
  static final int BATCH = 4;

  final List<String> variables = new ArrayList<>();
  final List<Output<?>> reads = new ArrayList<>();
  final List<Output<?>> refs = new ArrayList<>();
  Output<?> loss;
  Operation init;

  TfCnn(TfOracle tf) {
    Output<?> images = tf.batchInput("images", data(BATCH * SIDE * SIDE, 70), BATCH, SIDE, SIDE, 1);
    double[] onehot = new double[BATCH * CLASSES];
    for (int i = 0; i < BATCH; i++) {
      onehot[i * CLASSES + i % CLASSES] = 1;
    }
    Output<?> labels = tf.batchInput("labels", onehot, BATCH, CLASSES);
    List<Operation> assigns = new ArrayList<>();
    Output<?> k1 = variable(tf, "conv1/kernel", assigns, 0.5, 3, 3, 1, 4);
    Output<?> b1 = variable(tf, "conv1/bias", assigns, 0.1, 4);
    Output<?> conv =
        tf.op(
            "Conv2D",
            "conv1/Conv2D",
            Map.of("strides", new long[] {1, 1, 1, 1}, "padding", "SAME"),
            images,
            k1);
    Output<?> act =
        tf.op(
            "Relu", "conv1/Relu", Map.of(), tf.op("BiasAdd", "conv1/BiasAdd", Map.of(), conv, b1));
    Output<?> pool =
        tf.op(
            "MaxPool",
            "pool1/MaxPool",
            Map.of(
                "ksize",
                new long[] {1, 2, 2, 1},
                "strides",
                new long[] {1, 2, 2, 1},
                "padding",
                "VALID"),
            act);
    Output<?> flat = TfShapeCases.flatten(tf, pool);
    int features = (SIDE / 2) * (SIDE / 2) * 4;
    Output<?> k2 = variable(tf, "dense/kernel", assigns, 0.2, features, CLASSES);
    Output<?> b2 = variable(tf, "dense/bias", assigns, 0.1, CLASSES);
    Output<?> logits =
        tf.op(
            "BiasAdd",
            "dense/BiasAdd",
            Map.of(),
            tf.op("MatMul", "dense/MatMul", Map.of(), flat, k2),
            b2);
    Output<?> xent =
        tf.build("SoftmaxCrossEntropyWithLogits", "loss/xent", Map.of(), List.of(), logits, labels)
            .output(0);
    loss = tf.op("Mean", "loss/Mean", Map.of(), xent, tf.ints(0));
    init = tf.build("NoOp", "init", Map.of(), assigns);
  }

  private Output<?> variable(
      TfOracle tf, String name, List<Operation> assigns, double scale, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    Output<?> ref =
        tf.op("VariableV2", name, Map.of("shape", Shape.of(shape), "dtype", DataType.DT_FLOAT));
    Output<?> value = tf.floats(TfCase.scaled(data((int) n, name.hashCode()), scale), shape);
    assigns.add(tf.build("Assign", name + "/Assign", Map.of(), List.of(), ref, value));
    Output<?> read = tf.op("Identity", name + "/read", Map.of(), ref);
    variables.add(name);
    refs.add(ref);
    reads.add(read);
    return read;
  }
}
