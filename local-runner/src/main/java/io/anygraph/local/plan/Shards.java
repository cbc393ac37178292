package io.anygraph.local.plan;

import io.anygraph.core.FeedException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Splitting a batch into shards, for the local runner's threads and the Spark runner's driver-side
 * arrays alike. Shards differ in size by at most one row, the first ones taking the extra; {@link
 * Combine} joins their results.
 */
public final class Shards {
  private Shards() {}

  /** Rows of each of {@code n} shards of a batch of {@code rows}: the first ones get the extra. */
  public static long[] sizes(long rows, int n) {
    long[] s = new long[n];
    for (int i = 0; i < n; i++) {
      s[i] = rows / n + (i < rows % n ? 1 : 0);
    }
    return s;
  }

  /** The global batch: the size of every sharded feed along its axis, which must agree. */
  public static long globalBatch(Map<String, INDArray> sharded, Map<String, Integer> axes) {
    long rows = -1;
    String first = null;
    for (var e : sharded.entrySet()) {
      long r = e.getValue().size(axes.get(e.getKey()));
      if (rows >= 0 && r != rows) {
        throw new FeedException(
            "Sharded feeds disagree on the batch size: "
                + first
                + " has "
                + rows
                + " rows along its sharded axis, "
                + e.getKey()
                + " has "
                + r);
      }
      rows = r;
      first = e.getKey();
    }
    return rows;
  }

  /** Rows [from, from + count) of {@code x} along {@code axis}, as a plain array. */
  public static INDArray slice(INDArray x, int axis, long from, long count) {
    INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
    for (int d = 0; d < idx.length; d++) {
      idx[d] = d == axis ? NDArrayIndex.interval(from, from + count) : NDArrayIndex.all();
    }
    return x.get(idx).dup('c');
  }
}
