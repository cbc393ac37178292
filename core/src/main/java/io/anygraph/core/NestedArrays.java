package io.anygraph.core;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Java arrays of any rank ({@code double[]}, {@code float[][][]}, {@code boolean[][]}, ...) as
 * INDArrays. Rows must all have one length: a ragged array is refused here, in Java, because ND4J
 * would read past a short row.
 */
final class NestedArrays {
  private NestedArrays() {}

  /** The array's dims, checking that it is rectangular; fails with the offending path. */
  static long[] shape(Object array) {
    List<Long> dims = new ArrayList<>();
    Object level = array;
    while (level != null && level.getClass().isArray()) {
      int n = Array.getLength(level);
      dims.add((long) n);
      if (!level.getClass().getComponentType().isArray() || n == 0) {
        break;
      }
      level = Array.get(level, 0);
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    checkRectangular(array, shape, 0, "");
    return shape;
  }

  private static void checkRectangular(Object a, long[] shape, int depth, String path) {
    if (a == null || Array.getLength(a) != shape[depth]) {
      throw new IllegalArgumentException(
          "a ragged array: row "
              + (path.isEmpty() ? "" : path + " ")
              + "has "
              + (a == null ? "null" : Array.getLength(a) + " elements")
              + " where row 0 has "
              + shape[depth]);
    }
    if (depth + 1 < shape.length) {
      for (int i = 0; i < shape[depth]; i++) {
        checkRectangular(Array.get(a, i), shape, depth + 1, path + "[" + i + "]");
      }
    }
  }

  /** The element type at the bottom of nested arrays, e.g. {@code double} for double[][]. */
  static Class<?> leafType(Object array) {
    Class<?> c = array.getClass();
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c;
  }

  /** A rectangular primitive array of any rank as an INDArray of its own element type. */
  static INDArray toINDArray(Object array) {
    Class<?> leaf = leafType(array);
    if (!leaf.isPrimitive() || leaf == char.class) {
      throw new IllegalArgumentException(
          "an array of " + leaf.getSimpleName() + " (use a primitive numeric or boolean array)");
    }
    long[] shape = shape(array);
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    Object flat = Array.newInstance(leaf, Math.toIntExact(count));
    flatten(array, flat, 0);
    INDArray v =
        switch (leaf.getName()) {
          case "double" -> Nd4j.createFromArray((double[]) flat);
          case "float" -> Nd4j.createFromArray((float[]) flat);
          case "long" -> Nd4j.createFromArray((long[]) flat);
          case "int" -> Nd4j.createFromArray((int[]) flat);
          case "short" -> Nd4j.createFromArray((short[]) flat);
          case "byte" -> Nd4j.createFromArray((byte[]) flat);
          default -> Nd4j.createFromArray((boolean[]) flat);
        };
    return v.reshape('c', shape);
  }

  private static int flatten(Object a, Object flat, int at) {
    int n = Array.getLength(a);
    if (!a.getClass().getComponentType().isArray()) {
      System.arraycopy(a, 0, flat, at, n);
      return at + n;
    }
    for (int i = 0; i < n; i++) {
      at = flatten(Array.get(a, i), flat, at);
    }
    return at;
  }
}
