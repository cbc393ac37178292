package io.anygraph.local.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.TensorType;
import io.anygraph.partition.stage.Boundary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The combine rule of each boundary kind, on hand-worked partials: sums added left to right (float
 * addition is not associative, so the order shows in the result), gathered slices put at their
 * batch positions, the lowest shard's value picked.
 */
class CombineTest {
  private static final TensorType T = TensorType.of(DType.FLOAT32, -1);

  private static Boundary boundary(Boundary.Kind kind, int axis) {
    return new Boundary(kind, "w:0", "d:0", axis, T);
  }

  @Test
  void allReduceAddsThePartialsInShardOrder() {
    // float32: 1 + 1e8 rounds to 1e8 (spacing 8 there), so left to right the 1 is lost:
    // (1 + 1e8) - 1e8 = 0, where 1 + (1e8 - 1e8) would give 1.
    INDArray a = Nd4j.createFromArray(1f, 2.5f);
    INDArray b = Nd4j.createFromArray(1e8f, -0.5f);
    INDArray c = Nd4j.createFromArray(-1e8f, 4f);
    INDArray sum = Combine.inShardOrder(boundary(Boundary.Kind.ALL_REDUCE, -1), List.of(a, b, c));
    assertArrayEquals(new float[] {0f, 6f}, sum.toFloatVector());
    INDArray otherOrder =
        Combine.inShardOrder(boundary(Boundary.Kind.ALL_REDUCE, -1), List.of(b, c, a));
    assertArrayEquals(new float[] {1f, 6f}, otherOrder.toFloatVector());
    assertArrayEquals(
        new float[] {1f, 2.5f}, a.toFloatVector(), "the first shard's array is not written");
  }

  @Test
  void sumCopiesTheFirstPartialAndAddsLaterOnesIntoTheRunningSum() {
    INDArray first = Nd4j.createFromArray(1.0, -2.0);
    INDArray sum = Combine.sum(null, first);
    assertFalse(sum == first);
    INDArray again = Combine.sum(sum, Nd4j.createFromArray(0.25, 0.5));
    assertSame(sum, again);
    assertArrayEquals(new double[] {1.25, -1.5}, again.toDoubleVector());
    assertArrayEquals(new double[] {1.0, -2.0}, first.toDoubleVector());
  }

  @Test
  void allGatherJoinsShardsInOrderAlongTheAxis() {
    INDArray s0 = Nd4j.createFromArray(new double[][] {{1, 2, 3}});
    INDArray s1 = Nd4j.createFromArray(new double[][] {{4, 5, 6}});
    INDArray rows = Combine.inShardOrder(boundary(Boundary.Kind.ALL_GATHER, 0), List.of(s0, s1));
    assertArrayEquals(new long[] {2, 3}, rows.shape());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, rows.reshape(6).toDoubleVector());
    INDArray columns = Combine.inShardOrder(boundary(Boundary.Kind.ALL_GATHER, 1), List.of(s0, s1));
    assertArrayEquals(new long[] {1, 6}, columns.shape());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, columns.reshape(6).toDoubleVector());
  }

  @Test
  void gatherPutsEachRowAtItsBatchPosition() {
    // Spark's tasks hold shuffled rows: slice A has batch rows 2 and 0, slice B row 1.
    INDArray a = Nd4j.createFromArray(new double[][] {{20, 21}, {0, 1}});
    INDArray b = Nd4j.createFromArray(new double[][] {{10, 11}});
    INDArray out = Combine.gather(0, List.of(new int[] {2, 0}, new int[] {1}), List.of(a, b));
    assertArrayEquals(new double[] {0, 1, 10, 11, 20, 21}, out.reshape(6).toDoubleVector());
    assertArrayEquals(
        new double[] {20, 21, 0, 1}, a.reshape(4).toDoubleVector(), "slices are not written");
    assertNull(Combine.gather(0, List.of(), List.of()));
  }

  @Test
  void pickReplicaTakesTheLowestShard() {
    INDArray p0 = Nd4j.createFromArray(1.0);
    INDArray p1 = Nd4j.createFromArray(2.0);
    assertSame(p0, Combine.inShardOrder(boundary(Boundary.Kind.PICK_REPLICA, -1), List.of(p0, p1)));
    assertTrue(Combine.picks(0, Integer.MAX_VALUE));
    assertTrue(Combine.picks(1, 3));
    assertFalse(Combine.picks(3, 1));
    assertFalse(Combine.picks(2, 2));
  }
}
