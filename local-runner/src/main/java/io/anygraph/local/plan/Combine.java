package io.anygraph.local.plan;

import io.anygraph.partition.stage.Boundary;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How the shards' values at a boundary become one, per {@link Boundary.Kind}, written once: the
 * local runner combines its shard threads' values with it in shard order, the Spark runner its
 * tasks' results in the order {@code treeAggregate} merges them.
 *
 * <ul>
 *   <li>{@code ALL_REDUCE}: {@link #sum}, each partial added into a running sum, left to right;
 *   <li>{@code ALL_GATHER}: {@link #gather}, the slices joined with every row at its batch
 *       position;
 *   <li>{@code PICK_REPLICA}: {@link #picks}, the value of the lowest shard.
 * </ul>
 *
 * <pre>{@code
 * INDArray grad = Combine.inShardOrder(boundary, List.of(shard0Grad, shard1Grad)); // shard0 + shard1
 * }</pre>
 */
public final class Combine {
  private Combine() {}

  /**
   * All-reduce: {@code partial} added into {@code sum} (null before the first partial, which is
   * copied so that no shard's own array is written). Float addition is not associative, so the
   * order of calls is the result: callers fix it (shard order, or Spark's merge order).
   */
  public static INDArray sum(INDArray sum, INDArray partial) {
    return sum == null ? partial.dup('c') : sum.addi(partial);
  }

  /**
   * Pick-replica: whether the value of shard {@code candidate} replaces that of {@code current}.
   */
  public static boolean picks(int candidate, int current) {
    return candidate < current;
  }

  /**
   * All-gather: {@code slices} joined along {@code axis}, each slice's rows going to the batch
   * positions {@code positions} lists for it; null when there are no slices.
   */
  public static INDArray gather(int axis, List<int[]> positions, List<INDArray> slices) {
    if (slices.isEmpty()) {
      return null;
    }
    INDArray joined =
        slices.size() == 1 ? slices.get(0) : Nd4j.concat(axis, slices.toArray(new INDArray[0]));
    int n = (int) joined.size(axis);
    int[] at = new int[n]; // at[position] = index in joined
    int k = 0;
    boolean inOrder = true;
    for (int[] ps : positions) {
      for (int p : ps) {
        inOrder &= p == k;
        at[p] = k++;
      }
    }
    return inOrder ? joined : reordered(joined, axis, at);
  }

  /**
   * The shards' values, given in shard order (shard {@code i} holding the {@code i}-th run of rows
   * along a gathered axis), made one as the boundary says.
   */
  public static INDArray inShardOrder(Boundary b, List<INDArray> values) {
    return switch (b.kind()) {
      case ALL_REDUCE -> {
        INDArray sum = null;
        for (INDArray v : values) {
          sum = sum(sum, v);
        }
        yield sum;
      }
      case ALL_GATHER -> gather(b.axis(), contiguousPositions(values, b.axis()), values);
      case PICK_REPLICA -> values.get(0);
    };
  }

  /** Batch positions of slices that follow one another along {@code axis}. */
  private static List<int[]> contiguousPositions(List<INDArray> slices, int axis) {
    List<int[]> out = new ArrayList<>();
    int from = 0;
    for (INDArray s : slices) {
      int[] ps = new int[(int) s.size(axis)];
      for (int i = 0; i < ps.length; i++) {
        ps[i] = from++;
      }
      out.add(ps);
    }
    return out;
  }

  /** {@code joined}'s rows along {@code axis} put at their batch positions: row at[p] goes to p. */
  private static INDArray reordered(INDArray joined, int axis, int[] at) {
    INDArray out = joined.ulike();
    INDArrayIndex[] src = new INDArrayIndex[joined.rank()];
    INDArrayIndex[] dst = new INDArrayIndex[joined.rank()];
    for (int d = 0; d < src.length; d++) {
      src[d] = NDArrayIndex.all();
      dst[d] = NDArrayIndex.all();
    }
    for (int p = 0; p < at.length; p++) {
      src[axis] = NDArrayIndex.point(at[p]);
      dst[axis] = NDArrayIndex.point(p);
      out.put(dst, joined.get(src));
    }
    return out;
  }
}
