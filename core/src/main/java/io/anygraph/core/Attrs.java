package io.anygraph.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An op's attributes: immutable name → value pairs. Values are {@code Long}, {@code Double}, {@code
 * Boolean}, {@code String}, {@code long[]}, {@link DType}, {@link Shape}, a {@link Subgraph}
 * (control-flow bodies) or an {@link INDArray} (constants only). Arrays are copied in and out so
 * nodes stay immutable.
 */
public final class Attrs {
  private static final Attrs EMPTY = new Attrs(Map.of());
  private final Map<String, Object> values;

  private Attrs(Map<String, Object> values) {
    this.values = values;
  }

  public static Attrs empty() {
    return EMPTY;
  }

  /** {@code Attrs.of("axes", new long[] {0}, "keepDims", false)}. */
  public static Attrs of(Object... kv) {
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("Attrs.of needs name/value pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], normalize(kv[i + 1]));
    }
    return new Attrs(Collections.unmodifiableMap(m));
  }

  private static Object normalize(Object v) {
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof int[] a) {
      long[] l = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        l[i] = a[i];
      }
      return l;
    }
    if (v instanceof long[] a) {
      return a.clone();
    }
    if (v instanceof INDArray a) {
      return a.dup();
    }
    if (v == null
        || v instanceof Long
        || v instanceof Double
        || v instanceof Boolean
        || v instanceof String
        || v instanceof DType
        || v instanceof Shape
        || v instanceof Subgraph) {
      return v;
    }
    throw new IllegalArgumentException(
        "Unsupported attribute value type " + v.getClass().getName());
  }

  public Attrs with(String name, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(values);
    m.put(name, normalize(value));
    return new Attrs(Collections.unmodifiableMap(m));
  }

  public boolean has(String name) {
    return values.get(name) != null;
  }

  public Map<String, Object> asMap() {
    return values;
  }

  private Object need(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing attribute '" + name + "'");
    }
    return v;
  }

  public long getLong(String name) {
    return (Long) need(name);
  }

  public long getLong(String name, long dflt) {
    return has(name) ? getLong(name) : dflt;
  }

  public double getDouble(String name) {
    return ((Number) need(name)).doubleValue();
  }

  public boolean getBool(String name, boolean dflt) {
    return has(name) ? (Boolean) need(name) : dflt;
  }

  public String getString(String name) {
    return (String) need(name);
  }

  public long[] getLongs(String name) {
    return ((long[]) need(name)).clone();
  }

  public DType getDType(String name) {
    return (DType) need(name);
  }

  public Shape getShape(String name) {
    return (Shape) need(name);
  }

  /** A nested graph (control-flow bodies). */
  public Subgraph getSubgraph(String name) {
    return (Subgraph) need(name);
  }

  /** The array itself (not a copy): kernels must not write into it. */
  public INDArray getArray(String name) {
    return (INDArray) need(name);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    values.forEach(
        (k, v) -> {
          if (b.length() > 1) {
            b.append(", ");
          }
          b.append(k)
              .append('=')
              .append(
                  v instanceof long[] l
                      ? Arrays.toString(l)
                      : v instanceof INDArray a ? "array" + Arrays.toString(a.shape()) : v);
        });
    return b.append('}').toString();
  }
}
