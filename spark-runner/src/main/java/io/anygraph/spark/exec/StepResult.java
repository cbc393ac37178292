package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.local.plan.Combine;
import io.anygraph.spark.exchange.Slices;
import io.anygraph.spark.exchange.Wire;
import io.anygraph.spark.exec.WorkerStage.Aggregation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the tasks of a step send back, merged as {@code treeAggregate} combines them: the number of
 * rows they computed, and per boundary the sum of the partial values, the gathered slices with
 * their rows' batch positions, or the value of the lowest partition, each as {@link Combine} says.
 * Also the tasks' compute time, for the step's time breakdown.
 *
 * <p>A sum a task rounded for a 16-bit {@link Wire} ({@link ErrorFeedback}) carries that wire: it
 * travels as 2 bytes per element and is counted so; adding another task's sum of the same wire
 * keeps it (the receiver adds in float32; a further hop, such as {@code treeAggregate}'s
 * intermediate level with 6 or more partitions, sends the partial sum rounded to the wire again).
 */
public final class StepResult implements Serializable {
  long rows;
  final INDArray[] sums;
  final Wire[] wires;
  final List<List<int[]>> positions;
  final List<List<INDArray>> slices;
  final int[] pickedFrom;
  final INDArray[] picked;
  long computeNanos;
  long maxComputeNanos;
  long maxDeserializeNanos;

  StepResult(int boundaries) {
    sums = new INDArray[boundaries];
    wires = new Wire[boundaries];
    Arrays.fill(wires, Wire.FLOAT32);
    positions = new ArrayList<>();
    slices = new ArrayList<>();
    for (int i = 0; i < boundaries; i++) {
      positions.add(new ArrayList<>());
      slices.add(new ArrayList<>());
    }
    pickedFrom = new int[boundaries];
    Arrays.fill(pickedFrom, Integer.MAX_VALUE);
    picked = new INDArray[boundaries];
  }

  /** One task's result: its worker outputs for rows at {@code batchPositions} of the batch. */
  static StepResult of(
      List<Aggregation> boundaries,
      List<INDArray> outputs,
      int partition,
      int[] batchPositions,
      long nanos) {
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
        wires[i] = sums[i] == null || wires[i] == o.wires[i] ? o.wires[i] : Wire.FLOAT32;
        sums[i] = Combine.sum(sums[i], o.sums[i]);
      }
      positions.get(i).addAll(o.positions.get(i));
      slices.get(i).addAll(o.slices.get(i));
      if (Combine.picks(o.pickedFrom[i], pickedFrom[i])) {
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
    INDArray v =
        switch (a.kind()) {
          case ALL_REDUCE -> sums[i];
          case PICK_REPLICA -> picked[i];
          case ALL_GATHER -> Combine.gather(a.axis(), positions.get(i), slices.get(i));
        };
    if (v == null) {
      throw new AnygraphException(
          "No task of the step produced boundary "
              + i
              + " ("
              + a.kind()
              + "): the batch had no rows on any partition");
    }
    return v;
  }

  /**
   * Slice {@code k} of {@code n} of this result (the sharded exchange's reduce-scatter): the sums
   * of the boundaries marked in {@code cut} cut into their slice, everything else as it is.
   */
  StepResult slice(int k, int n, boolean[] cut) {
    StepResult r = new StepResult(sums.length);
    r.rows = rows;
    r.computeNanos = computeNanos;
    r.maxComputeNanos = maxComputeNanos;
    r.maxDeserializeNanos = maxDeserializeNanos;
    for (int i = 0; i < sums.length; i++) {
      r.sums[i] = sums[i] == null || !cut[i] ? sums[i] : Slices.of(sums[i], k, n);
      r.wires[i] = wires[i];
      r.positions.get(i).addAll(positions.get(i));
      r.slices.get(i).addAll(slices.get(i));
      r.pickedFrom[i] = pickedFrom[i];
      r.picked[i] = picked[i];
    }
    return r;
  }

  /** Bytes of the arrays this result holds: what its trip to the driver carries, less framing. */
  long arrayBytes() {
    long b = 0;
    for (int i = 0; i < sums.length; i++) {
      b += sumBytes(i) + bytes(picked[i]);
      for (INDArray s : slices.get(i)) {
        b += bytes(s);
      }
    }
    return b;
  }

  /** Sum {@code i}'s bytes as it travels: 2 per element on a 16-bit wire. */
  long sumBytes(int i) {
    return wires[i] == Wire.FLOAT32 ? bytes(sums[i]) : sums[i].length() * 2L;
  }

  static long bytes(INDArray a) {
    return a == null ? 0 : a.length() * a.dataType().width();
  }

  /** Rows the tasks computed, summed: must equal the global batch. */
  long rows() {
    return rows;
  }
}
