package io.anygraph.spark.exchange;

import io.anygraph.core.DType;
import io.anygraph.core.Layouts;
import io.anygraph.core.TensorType;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where each all-reduce boundary of a plan lies in the ring exchange's one float buffer: the
 * boundaries' row-major elements one after another, in the plan's boundary order. Known on the
 * driver and on every task from the plan alone (float32, fully defined shapes), so a task without
 * rows contributes zeros of the right length.
 *
 * @param offsets per boundary, its first element in the buffer, or -1 for a boundary that is not
 *     all-reduced (gathered rows, a picked replica: those travel as under {@code tree})
 * @param shapes per boundary, its shape (null when not all-reduced)
 * @param length elements in the buffer
 */
public record RingLayout(long[] offsets, List<long[]> shapes, int length) implements Serializable {

  /** Why {@code plan}'s all-reduce boundaries cannot share one float buffer, or null. */
  public static String whyNot(Plan plan) {
    long total = 0;
    for (Boundary b : plan.boundaries()) {
      if (b.kind() != Boundary.Kind.ALL_REDUCE) {
        continue;
      }
      TensorType t = b.type();
      if (t.dtype() != DType.FLOAT32 || !t.shape().isFullyDefined()) {
        return "the ring sums float32 values of known shape: boundary '"
            + b.driverTensor()
            + "' is "
            + t;
      }
      total += t.shape().size();
    }
    if (total > Integer.MAX_VALUE - 8) {
      return "the ring's buffer would hold " + total + " floats, more than one Java array";
    }
    return null;
  }

  /** The layout of {@code plan}'s all-reduce boundaries; {@link #whyNot} must be null. */
  public static RingLayout of(Plan plan) {
    String why = whyNot(plan);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    List<Boundary> bs = plan.boundaries();
    long[] offsets = new long[bs.size()];
    long[][] shapes = new long[bs.size()][];
    long at = 0;
    for (int i = 0; i < bs.size(); i++) {
      Boundary b = bs.get(i);
      if (b.kind() != Boundary.Kind.ALL_REDUCE) {
        offsets[i] = -1;
        continue;
      }
      offsets[i] = at;
      shapes[i] = b.type().shape().dims();
      at += b.type().shape().size();
    }
    return new RingLayout(offsets, Arrays.asList(shapes), (int) at);
  }

  /** Bytes of the buffer: what each task sends and receives 2(N−1)/N of. */
  public long bytes() {
    return (long) length * Float.BYTES;
  }

  /** The buffer of one task's partial sums ({@code sums[i]} null: this task had no rows: zeros). */
  public float[] flatten(INDArray[] sums) {
    float[] buffer = new float[length];
    for (int i = 0; i < offsets.length; i++) {
      if (offsets[i] < 0 || sums[i] == null) {
        continue;
      }
      float[] v = Layouts.denseRowMajor(sums[i]).data().asFloat();
      long n = Arrays.stream(shapes.get(i)).reduce(1, (a, b) -> a * b);
      if (v.length != n) {
        throw new IllegalStateException(
            "Ring all-reduce: boundary "
                + i
                + " has "
                + v.length
                + " elements, its type says "
                + Arrays.toString(shapes.get(i)));
      }
      System.arraycopy(v, 0, buffer, (int) offsets[i], v.length);
    }
    return buffer;
  }

  /** The summed boundaries cut back out of {@code buffer}; null where not all-reduced. */
  public INDArray[] unflatten(float[] buffer) {
    INDArray[] out = new INDArray[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      if (offsets[i] < 0) {
        continue;
      }
      long[] shape = shapes.get(i);
      int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      float[] part = Arrays.copyOfRange(buffer, (int) offsets[i], (int) offsets[i] + n);
      out[i] = Nd4j.create(part, shape, 'c');
    }
    return out;
  }
}
