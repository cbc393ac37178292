package io.anygraph.local.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Batching, shuffling and sharding of ten examples whose feature rows are 10*label. */
class DatasetTest {
  private static Dataset ten() {
    INDArray x = Nd4j.createFromArray(new float[][] {
        {0, 0}, {10, 10}, {20, 20}, {30, 30}, {40, 40}, {50, 50}, {60, 60}, {70, 70}, {80, 80}, {90, 90}});
    return new Dataset(x, Nd4j.arange(10).castTo(org.nd4j.linalg.api.buffer.DataType.INT32));
  }

  @Test
  void batchesCoverEveryExampleWithAPartialLastBatch() {
    List<Integer> sizes = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Batch b : ten().batches(4)) {
      sizes.add(b.size());
      assertEquals(b.size(), b.features().size(0));
      for (int l : b.labels().toIntVector()) {
        labels.add(l);
      }
    }
    assertEquals(List.of(4, 4, 2), sizes);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), labels);
  }

  @Test
  void shufflingIsASeededPermutationThatKeepsPairsTogether() {
    Dataset a = ten().shuffled(42);
    int[] order = a.labels().toIntVector();
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    assertNotEquals(Arrays.toString(sorted), Arrays.toString(order));
    for (int i = 0; i < 10; i++) {
      assertEquals(10f * order[i], a.features().getFloat(i, 1));
    }
    assertArrayEquals(order, ten().shuffled(42).labels().toIntVector());
    assertNotEquals(Arrays.toString(order), Arrays.toString(ten().shuffled(43).labels().toIntVector()));
  }

  @Test
  void shardsAreContiguousAndDifferByAtMostOne() {
    int[] sizes = new int[3];
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Dataset s = ten().shard(i, 3);
      sizes[i] = s.size();
      for (int l : s.labels().toIntVector()) {
        all.add(l);
      }
    }
    assertArrayEquals(new int[] {3, 3, 4}, sizes);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), all);
    assertEquals(3, ten().take(3).size());
    assertEquals(3, ten().skip(3).labels().getInt(0));
    assertThrows(IllegalArgumentException.class, () -> ten().shard(3, 3));
    assertThrows(IllegalArgumentException.class,
        () -> new Dataset(Nd4j.zeros(3, 2), Nd4j.zeros(4)));
  }
}
