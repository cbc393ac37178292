package io.anygraph.local.plan;

import io.anygraph.core.FeedException;
import io.anygraph.partition.stage.Boundary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Splitting a batch into shards and joining the shards' results: the in-process form of what
 * the Spark runner does with partitions and {@code treeAggregate}. Shards differ in size by at
 * most one row; aggregation runs in shard order, so results repeat exactly from run to run.
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
        throw new FeedException("Sharded feeds disagree on the batch size: " + first + " has "
            + rows + " rows along its sharded axis, " + e.getKey() + " has " + r);
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

  /** The shards' values (in shard order) made one, as the boundary says. */
  public static INDArray aggregate(Boundary b, List<INDArray> values) {
    return switch (b.kind()) {
      case ALL_REDUCE -> {
        INDArray sum = values.get(0).dup('c');
        for (int i = 1; i < values.size(); i++) {
          sum.addi(values.get(i));
        }
        yield sum;
      }
      case ALL_GATHER -> values.size() == 1 ? values.get(0)
          : Nd4j.concat(b.axis(), new ArrayList<>(values).toArray(new INDArray[0]));
      case PICK_REPLICA -> values.get(0);
    };
  }
}
