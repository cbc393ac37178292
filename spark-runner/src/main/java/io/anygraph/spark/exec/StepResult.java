package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.spark.exec.WorkerStage.Aggregation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the tasks of a step send back, merged as {@code treeAggregate} combines them: the number
 * of rows they computed, and per boundary the sum of the partial values, the gathered slices with
 * their rows' batch positions, or the value of the lowest partition. Also the tasks' compute
 * time, for the step's time breakdown.
 */
public final class StepResult implements Serializable {
  long rows;
  final INDArray[] sums;
  final List<List<int[]>> positions;
  final List<List<INDArray>> slices;
  final int[] pickedFrom;
  final INDArray[] picked;
  long computeNanos;
  long maxComputeNanos;
  long maxDeserializeNanos;

  StepResult(int boundaries) {
    sums = new INDArray[boundaries];
    positions = new ArrayList<>();
    slices = new ArrayList<>();
    for (int i = 0; i < boundaries; i++) {
      positions.add(new ArrayList<>());
      slices.add(new ArrayList<>());
    }
    pickedFrom = new int[boundaries];
    java.util.Arrays.fill(pickedFrom, Integer.MAX_VALUE);
    picked = new INDArray[boundaries];
  }

  /** One task's result: its worker outputs for rows at {@code batchPositions} of the batch. */
  static StepResult of(List<Aggregation> boundaries, List<INDArray> outputs, int partition,
      int[] batchPositions, long nanos) {
    StepResult r = new StepResult(boundaries.size());
    r.rows = batchPositions.length;
    r.computeNanos = nanos;
    r.maxComputeNanos = nanos;
    for (int i = 0; i < boundaries.size(); i++) {
      INDArray v = outputs.get(boundaries.get(i).output());
      switch (boundaries.get(i).kind()) {
        case ALL_REDUCE -> r.sums[i] = v;
        case ALL_GATHER -> {
          r.positions.get(i).add(batchPositions);
          r.slices.get(i).add(v);
        }
        case PICK_REPLICA -> {
          r.pickedFrom[i] = partition;
          r.picked[i] = v;
        }
      }
    }
    return r;
  }

  /** This result with {@code o}'s merged in (sums added, slices collected, lowest pick kept). */
  StepResult merge(StepResult o) {
    rows += o.rows;
    computeNanos += o.computeNanos;
    maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
    maxDeserializeNanos = Math.max(maxDeserializeNanos, o.maxDeserializeNanos);
    for (int i = 0; i < sums.length; i++) {
      if (o.sums[i] != null) {
        sums[i] = sums[i] == null ? o.sums[i] : sums[i].addi(o.sums[i]);
      }
      positions.get(i).addAll(o.positions.get(i));
      slices.get(i).addAll(o.slices.get(i));
      if (o.pickedFrom[i] < pickedFrom[i]) {
        pickedFrom[i] = o.pickedFrom[i];
        picked[i] = o.picked[i];
      }
    }
    return this;
  }

  static StepResult combine(StepResult a, StepResult b) {
    return a.merge(b);
  }

  /** Boundary {@code i}'s whole value; gathered rows are put back in batch order. */
  INDArray value(int i, Aggregation a) {
    INDArray v = switch (a.kind()) {
      case ALL_REDUCE -> sums[i];
      case PICK_REPLICA -> picked[i];
      case ALL_GATHER -> gathered(i, a.axis());
    };
    if (v == null) {
      throw new AnygraphException("No task of the step produced boundary " + i + " (" + a.kind()
          + "): the batch had no rows on any partition");
    }
    return v;
  }

  private INDArray gathered(int i, int axis) {
    List<INDArray> parts = slices.get(i);
    if (parts.isEmpty()) {
      return null;
    }
    INDArray joined = parts.size() == 1 ? parts.get(0) : Nd4j.concat(axis, parts.toArray(new INDArray[0]));
    int n = (int) joined.size(axis);
    int[] at = new int[n]; // at[position] = index in joined
    int k = 0;
    for (int[] ps : positions.get(i)) {
      for (int p : ps) {
        at[p] = k++;
      }
    }
    INDArray out = joined.ulike();
    INDArrayIndex[] src = new INDArrayIndex[joined.rank()];
    INDArrayIndex[] dst = new INDArrayIndex[joined.rank()];
    for (int d = 0; d < src.length; d++) {
      src[d] = NDArrayIndex.all();
      dst[d] = NDArrayIndex.all();
    }
    for (int p = 0; p < n; p++) {
      src[axis] = NDArrayIndex.point(at[p]);
      dst[axis] = NDArrayIndex.point(p);
      out.put(dst, joined.get(src));
    }
    return out;
  }

  /** Rows the tasks computed, summed: must equal the global batch. */
  long rows() {
    return rows;
  }
}
