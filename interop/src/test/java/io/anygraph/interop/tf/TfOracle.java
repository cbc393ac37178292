package io.anygraph.interop.tf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * TensorFlow itself, in graph mode, as the oracle: builds a graph op by op (by TensorFlow's op
 * names and attributes, as a Python program's GraphDef has them), runs it, exports its GraphDef,
 * and runs the same fetches on the Anygraph import of that GraphDef.
 */
final class TfOracle implements AutoCloseable {
  /** A fed or fetched value: row-major numbers and a shape. */
  record Value(double[] values, long[] shape) {}

  final Graph g = new Graph();
  private final Map<String, Value> feeds = new LinkedHashMap<>();
  private final Map<String, Boolean> intFeeds = new HashMap<>();
  private int consts;

  /** A float placeholder fed with {@code values}. */
  Output<?> input(String name, double[] values, long... shape) {
    return feed(name, DataType.DT_FLOAT, values, shape);
  }

  /** A float placeholder of unknown first dimension (a batch), fed with {@code shape}. */
  Output<?> batchInput(String name, double[] values, long... shape) {
    feeds.put(name, new Value(values, shape));
    intFeeds.put(name, false);
    long[] declared = shape.clone();
    declared[0] = -1;
    return op("Placeholder", name, Map.of("dtype", DataType.DT_FLOAT, "shape", Shape.of(declared)));
  }

  /** An int32 placeholder fed with {@code values}. */
  Output<?> intInput(String name, double[] values, long... shape) {
    return feed(name, DataType.DT_INT32, values, shape);
  }

  private Output<?> feed(String name, DataType dt, double[] v, long[] shape) {
    feeds.put(name, new Value(v, shape));
    intFeeds.put(name, dt == DataType.DT_INT32);
    return op("Placeholder", name, Map.of("dtype", dt, "shape", Shape.of(shape)));
  }

  Output<?> ints(int... v) {
    try (TInt32 t = TInt32.vectorOf(v)) {
      return op("Const", "c" + consts++, Map.of("dtype", DataType.DT_INT32, "value", t));
    }
  }

  Output<?> scalarInt(int v) {
    try (TInt32 t = TInt32.scalarOf(v)) {
      return op("Const", "c" + consts++, Map.of("dtype", DataType.DT_INT32, "value", t));
    }
  }

  Output<?> floats(double[] v, long... shape) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(f))) {
      return op("Const", "c" + consts++, Map.of("dtype", DataType.DT_FLOAT, "value", t));
    }
  }

  /** Any TensorFlow op by its registered name; attributes by type. */
  Output<?> op(String type, String name, Map<String, ?> attrs, Output<?>... inputs) {
    return build(type, name, attrs, List.of(), inputs).output(0);
  }

  /** An op whose first input is a list ({@code Pack}, {@code ConcatV2}), then {@code rest}. */
  Output<?> listOp(
      String type, String name, Map<String, ?> attrs, List<Output<?>> list, Output<?>... rest) {
    return build(type, name, attrs, List.of(), list.toArray(Output<?>[]::new), rest).output(0);
  }

  Operation build(
      String type,
      String name,
      Map<String, ?> attrs,
      List<Operation> controls,
      Output<?>... inputs) {
    return build(type, name, attrs, controls, null, inputs);
  }

  private Operation build(
      String type,
      String name,
      Map<String, ?> attrs,
      List<Operation> controls,
      Output<?>[] list,
      Output<?>... inputs) {
    OperationBuilder b = g.opBuilder(type, name, g.baseScope());
    if (list != null) {
      b.addInputList(list);
    }
    for (Output<?> in : inputs) {
      b.addInput(in);
    }
    for (Operation c : controls) {
      b.addControlInput(c);
    }
    attrs.forEach(
        (k, v) -> {
          if (v instanceof String s) {
            b.setAttr(k, s);
          } else if (v instanceof Long l) {
            b.setAttr(k, l);
          } else if (v instanceof Integer i) {
            b.setAttr(k, (long) i);
          } else if (v instanceof long[] a) {
            b.setAttr(k, a);
          } else if (v instanceof Boolean x) {
            b.setAttr(k, x);
          } else if (v instanceof Float f) {
            b.setAttr(k, f);
          } else if (v instanceof DataType d) {
            b.setAttr(k, d);
          } else if (v instanceof Shape s) {
            b.setAttr(k, s);
          } else if (v instanceof Tensor t) {
            b.setAttr(k, t);
          } else {
            throw new IllegalArgumentException(k + ": " + v);
          }
        });
    return b.build();
  }

  byte[] graphDef() {
    return g.toGraphDef().toByteArray();
  }

  /** Feeds every placeholder's value; the caller closes the returned tensors after the run. */
  List<Tensor> feedAll(Session.Runner r) {
    List<Tensor> fed = new ArrayList<>();
    feeds.forEach(
        (name, v) -> {
          Tensor t = tfTensor(v, intFeeds.get(name));
          fed.add(t);
          r.feed(name, t);
        });
    return fed;
  }

  static Value value(Result res, int i) {
    return value(res.get(i));
  }

  /** Runs {@code targets} first (initializers), then fetches. */
  List<Value> runTf(List<String> targets, List<Output<?>> fetches) {
    try (Session s = new Session(g)) {
      for (String t : targets) {
        s.runner().addTarget(t).run().close();
      }
      Session.Runner r = s.runner();
      List<Tensor> fed = new ArrayList<>();
      feeds.forEach(
          (name, v) -> {
            Tensor t = tfTensor(v, intFeeds.get(name));
            fed.add(t);
            r.feed(name, t);
          });
      fetches.forEach(r::fetch);
      List<Value> out = new ArrayList<>();
      try (Result res = r.run()) {
        for (int i = 0; i < fetches.size(); i++) {
          out.add(value(res.get(i)));
        }
      }
      fed.forEach(Tensor::close);
      return out;
    }
  }

  private static Tensor tfTensor(Value v, boolean isInt) {
    int n = v.values().length;
    if (isInt) {
      int[] a = new int[n];
      for (int i = 0; i < n; i++) {
        a[i] = (int) v.values()[i];
      }
      return TInt32.tensorOf(Shape.of(v.shape()), DataBuffers.of(a));
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) v.values()[i];
    }
    return TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(a));
  }

  private static Value value(Tensor t) {
    int n = (int) t.shape().size();
    ByteDataBuffer b = t.asRawTensor().data();
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] =
          switch (t.dataType()) {
            case DT_FLOAT -> b.asFloats().getFloat(i);
            case DT_DOUBLE -> b.asDoubles().getDouble(i);
            case DT_INT32 -> b.asInts().getInt(i);
            case DT_INT64 -> b.asLongs().getLong(i);
            case DT_BOOL -> b.asBooleans().getBoolean(i) ? 1 : 0;
            default -> throw new IllegalArgumentException("dtype " + t.dataType());
          };
    }
    return new Value(v, t.shape().asArray());
  }

  /** One output, run with every feed. */
  Value fetch(Session s, Output<?> y) {
    Session.Runner r = s.runner();
    List<Tensor> fed = feedAll(r);
    try (Result res = r.fetch(y).run()) {
      return value(res, 0);
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** A TensorFlow session on this graph. */
  Session newSession() {
    return new Session(g);
  }

  Map<String, Value> feeds() {
    return feeds;
  }

  boolean isIntFeed(String name) {
    return intFeeds.get(name);
  }

  @Override
  public void close() {
    g.close();
  }
}
