package io.anygraph.spark.exec;

import io.anygraph.data.Dataset;
import java.io.Serializable;

/**
 * Which examples form one step's batch: batch {@code step} of the dataset in the order {@link
 * Dataset#order} gives for {@code seed}, the same batches as {@code
 * dataset.shuffled(seed).batches(batch)} on one machine. Each partition computes the order itself
 * and keeps the rows it holds, with their positions in the batch.
 */
public record StepRows(long seed, int batch, int step, long size) implements Serializable {
  public StepRows {
    if (batch < 1 || step < 0 || (long) step * batch >= size) {
      throw new IllegalArgumentException(
          "step " + step + " of batch " + batch + " is outside " + size + " examples");
    }
  }

  /** Rows in this step's batch. */
  public int rows() {
    return (int) Math.min(batch, size - (long) step * batch);
  }

  /** For a block holding examples [from, to): {local row, position in batch} pairs, by position. */
  public int[][] select(long from, long to) {
    int[] order = Dataset.order((int) size, seed);
    int first = step * batch;
    int n = rows();
    int count = 0;
    for (int j = 0; j < n; j++) {
      int g = order[first + j];
      if (g >= from && g < to) {
        count++;
      }
    }
    int[] local = new int[count];
    int[] positions = new int[count];
    int k = 0;
    for (int j = 0; j < n; j++) {
      int g = order[first + j];
      if (g >= from && g < to) {
        local[k] = (int) (g - from);
        positions[k++] = j;
      }
    }
    return new int[][] {local, positions};
  }
}
