package io.anygraph.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns user feeds (keys: tensors or tensor names; values: Java numbers, booleans, primitive arrays
 * or {@link INDArray}s) into arrays of exactly the fed tensor's dtype, checked against its static
 * shape. All checks happen here, before any kernel runs.
 */
public final class Feeds {
  private Feeds() {}

  public static Map<Tensor, INDArray> convert(Graph g, Map<?, ?> feeds) {
    Map<Tensor, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : feeds.entrySet()) {
      Tensor t = key(g, e.getKey());
      out.put(t, value(t, e.getValue()));
    }
    return out;
  }

  private static Tensor key(Graph g, Object key) {
    if (key instanceof Tensor t) {
      if (t.graph() != g) {
        throw new FeedException("Feed for " + t.name() + ": the tensor belongs to another graph");
      }
      return t;
    }
    if (key instanceof String name) {
      if (!g.hasNode(name.contains(":") ? name.substring(0, name.lastIndexOf(':')) : name)) {
        throw new FeedException("Feed for '" + name + "': no such tensor in the graph");
      }
      return g.tensor(name);
    }
    throw new FeedException(
        "Feed keys must be tensors or tensor names, not "
            + (key == null ? "null" : key.getClass().getSimpleName()));
  }

  /** The fed value as an array of {@code t}'s dtype; fails on lossy or mismatched values. */
  public static INDArray value(Tensor t, Object v) {
    DType want = t.dtype();
    INDArray a;
    if (v instanceof INDArray arr) {
      DType got = DType.fromNd4j(arr.dataType());
      if (got != want) {
        throw mismatch(t, "dtype " + got + ", expected " + want + " (cast the array first)");
      }
      a = arr;
    } else if (v instanceof Boolean b) {
      if (want != DType.BOOL) {
        throw mismatch(t, "a boolean, expected " + want);
      }
      a = Nd4j.scalar(b);
    } else if (v instanceof Number || v != null && v.getClass().isArray()) {
      a = fromJava(t, v);
    } else {
      throw mismatch(t, v == null ? "null" : "a " + v.getClass().getSimpleName());
    }
    if (!t.shape().accepts(Shape.of(a.shape()))) {
      throw mismatch(t, "shape " + Shape.of(a.shape()) + ", expected " + t.shape());
    }
    return a;
  }

  private static INDArray fromJava(Tensor t, Object v) {
    DType want = t.dtype();
    INDArray raw;
    boolean integral;
    if (v instanceof Number n) {
      integral =
          n instanceof Byte || n instanceof Short || n instanceof Integer || n instanceof Long;
      raw = integral ? Nd4j.scalar(n.longValue()) : Nd4j.scalar(n.doubleValue());
    } else {
      raw = arrayOf(t, v);
      integral = raw.dataType().isIntType();
    }
    DType got = DType.fromNd4j(raw.dataType());
    if (want == got) {
      return raw;
    }
    if (want == DType.BOOL || got == DType.BOOL) {
      throw mismatch(t, "values of " + got + ", expected " + want);
    }
    if (want.isInteger()) {
      if (!integral) {
        throw mismatch(t, "floating-point values, expected integers of " + want);
      }
      if (raw.length() > 0
          && (raw.minNumber().longValue() < want.minValue()
              || raw.maxNumber().longValue() > want.maxValue())) {
        throw mismatch(
            t,
            "values outside the range of "
                + want
                + " ["
                + want.minValue()
                + ", "
                + want.maxValue()
                + "]");
      }
    }
    return raw.castTo(want.nd4j());
  }

  private static INDArray arrayOf(Tensor t, Object v) {
    try {
      return NestedArrays.toINDArray(v);
    } catch (IllegalArgumentException e) {
      throw mismatch(t, e.getMessage());
    }
  }

  private static FeedException mismatch(Tensor t, String what) {
    return new FeedException("Feed for " + describe(t) + ": got " + what);
  }

  static String describe(Tensor t) {
    return "'" + t.node().name() + "' (" + t.op() + ", " + t.type() + ")";
  }
}
