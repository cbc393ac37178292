package io.anygraph.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs an exported model in ONNX Runtime (the oracle) and compares its outputs with Anygraph's own
 * run of the same fetches: same dtype and shape, floats within float32 rounding, others exactly.
 */
final class OnnxRuntimeOracle {
  private OnnxRuntimeOracle() {}

  /** Exports {@code fetches}, runs both, and asserts they agree; returns ONNX Runtime's outputs. */
  static List<INDArray> assertAgrees(
      Session session, List<Tensor> fetches, Map<Tensor, INDArray> feeds, String what)
      throws OrtException {
    byte[] model = OnnxExport.model(session, fetches, null).toByteArray();
    List<INDArray> expected = session.run(fetches, feeds);
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    feeds.forEach((t, v) -> inputs.put(Lowering.valueName(t), v));
    List<INDArray> actual = run(model, inputs);
    for (int i = 0; i < fetches.size(); i++) {
      assertClose(expected.get(i), actual.get(i), what + ", output " + fetches.get(i).name());
    }
    return actual;
  }

  /** The model's outputs, in order, for inputs by name. */
  static List<INDArray> run(byte[] model, Map<String, INDArray> inputs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions())) {
      Map<String, OnnxTensor> in = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
          in.put(e.getKey(), toOrt(env, e.getValue()));
        }
        try (OrtSession.Result r = s.run(in)) {
          List<INDArray> out = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            out.add(fromOrt((OnnxTensor) r.get(i)));
          }
          return out;
        }
      } finally {
        in.values().forEach(OnnxTensor::close);
      }
    }
  }

  static OnnxTensor toOrt(OrtEnvironment env, INDArray value) throws OrtException {
    INDArray a = Layouts.denseRowMajor(value);
    long[] shape = a.shape();
    return switch (DType.fromNd4j(a.dataType())) {
      case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(a.data().asFloat()), shape);
      case FLOAT64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(a.data().asDouble()), shape);
      case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(a.data().asInt()), shape);
      case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(a.data().asLong()), shape);
      case BOOL -> {
        int[] v = a.castTo(DataType.INT).data().asInt();
        ByteBuffer b = ByteBuffer.allocateDirect(v.length).order(ByteOrder.nativeOrder());
        for (int x : v) {
          b.put((byte) x);
        }
        b.rewind();
        yield OnnxTensor.createTensor(env, b, shape, OnnxJavaType.BOOL);
      }
      default -> throw new IllegalArgumentException("no test input of type " + a.dataType());
    };
  }

  static INDArray fromOrt(OnnxTensor t) throws OrtException {
    long[] shape = t.getInfo().getShape();
    return switch (t.getInfo().type) {
      case FLOAT -> Nd4j.create(toArray(t.getFloatBuffer()), shape, 'c');
      case DOUBLE -> Nd4j.create(toArray(t.getDoubleBuffer()), shape, 'c');
      case INT32 -> Nd4j.createFromArray(toArray(t.getIntBuffer())).reshape(shape);
      case INT64 -> Nd4j.createFromArray(toArray(t.getLongBuffer())).reshape(shape);
      case BOOL -> {
        ByteBuffer b = t.getByteBuffer();
        boolean[] v = new boolean[b.remaining()];
        for (int i = 0; i < v.length; i++) {
          v[i] = b.get(i) != 0;
        }
        yield Nd4j.createFromArray(v).reshape(shape);
      }
      default -> throw new IllegalArgumentException("no test output of type " + t.getInfo().type);
    };
  }

  private static float[] toArray(FloatBuffer b) {
    float[] v = new float[b.remaining()];
    b.get(v);
    return v;
  }

  private static double[] toArray(DoubleBuffer b) {
    double[] v = new double[b.remaining()];
    b.get(v);
    return v;
  }

  private static int[] toArray(IntBuffer b) {
    int[] v = new int[b.remaining()];
    b.get(v);
    return v;
  }

  private static long[] toArray(LongBuffer b) {
    long[] v = new long[b.remaining()];
    b.get(v);
    return v;
  }

  /** Same dtype and shape; floats within |a - b| <= 1e-5 + 1e-5 |a|, others equal. */
  static void assertClose(INDArray expected, INDArray actual, String what) {
    assertEquals(expected.dataType(), actual.dataType(), what + ": dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = Layouts.denseRowMajor(expected).castTo(DataType.DOUBLE).data().asDouble();
    double[] a = Layouts.denseRowMajor(actual).castTo(DataType.DOUBLE).data().asDouble();
    boolean floating = DType.fromNd4j(expected.dataType()).isFloating();
    for (int i = 0; i < e.length; i++) {
      double tol = floating ? 1e-5 + 1e-5 * Math.abs(e[i]) : 0;
      boolean same = Double.compare(e[i], a[i]) == 0 || Math.abs(e[i] - a[i]) <= tol;
      assertTrue(same, what + ": element " + i + " is " + a[i] + " in ONNX Runtime, " + e[i]);
    }
  }
}
