package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.AnygraphException;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.exec.WorkerStage.Aggregation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spark's task results merged as {@code treeAggregate} merges them follow the shared combine rules:
 * sums added in merge order, gathered rows back at their batch positions, the lowest partition's
 * pick, rows counted.
 */
class StepResultTest {
  private static final List<Aggregation> BOUNDARIES =
      List.of(
          new Aggregation(Boundary.Kind.ALL_REDUCE, 0, -1),
          new Aggregation(Boundary.Kind.ALL_GATHER, 1, 0),
          new Aggregation(Boundary.Kind.PICK_REPLICA, 2, -1));

  private static StepResult task(int partition, float partial, double[][] rows, int[] positions) {
    List<INDArray> outputs =
        List.of(
            Nd4j.createFromArray(partial),
            Nd4j.createFromArray(rows),
            Nd4j.createFromArray((double) partition));
    return StepResult.of(BOUNDARIES, outputs, partition, positions, 0);
  }

  @Test
  void mergedResultsCombineAsTheBoundariesSay() {
    // merged as partition 2, then 0, then 1: the sum (1e8 + 1) - 1e8 loses the 1 in float32
    StepResult r =
        new StepResult(BOUNDARIES.size())
            .merge(task(2, 1e8f, new double[][] {{4, 5}}, new int[] {2}))
            .merge(task(0, 1f, new double[][] {{0, 1}, {6, 7}}, new int[] {0, 3}))
            .merge(task(1, -1e8f, new double[][] {{2, 3}}, new int[] {1}));
    assertEquals(4, r.rows());
    assertEquals(0f, r.value(0, BOUNDARIES.get(0)).getFloat(0));
    assertArrayEquals(
        new double[] {0, 1, 2, 3, 4, 5, 6, 7},
        r.value(1, BOUNDARIES.get(1)).reshape(8).toDoubleVector());
    assertEquals(0.0, r.value(2, BOUNDARIES.get(2)).getDouble(0));
  }

  @Test
  void aBoundaryNoTaskProducedIsAnError() {
    StepResult empty = new StepResult(BOUNDARIES.size());
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> empty.value(1, BOUNDARIES.get(1)));
    assertEquals(true, e.getMessage().contains("ALL_GATHER"), e.getMessage());
  }
}
