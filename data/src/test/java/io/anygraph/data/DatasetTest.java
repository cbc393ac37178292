package io.anygraph.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Batching, shuffling and sharding of ten examples whose feature rows are 10*label. */
class DatasetTest {
  private static Dataset ten() {
    INDArray x =
        Nd4j.createFromArray(
            new float[][] {
              {0, 0}, {10, 10}, {20, 20}, {30, 30}, {40, 40}, {50, 50}, {60, 60}, {70, 70},
              {80, 80}, {90, 90}
            });
    return new Dataset(x, Nd4j.arange(10).castTo(DataType.INT32));
  }

  /** Example i has label i and features [i, 100 + i, 200 + i], so rows trace back to labels. */
  private static Dataset numbered(int n) {
    float[] f = new float[n * 3];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      f[3 * i] = i;
      f[3 * i + 1] = 100 + i;
      f[3 * i + 2] = 200 + i;
      y[i] = i;
    }
    return new Dataset(Nd4j.create(f, new long[] {n, 3}, DataType.FLOAT), Nd4j.createFromArray(y));
  }

  /** Checks every feature row still belongs with its label; returns the labels in order. */
  private static int[] consistentLabels(Dataset d) {
    int[] y = d.labels().toIntVector();
    for (int i = 0; i < y.length; i++) {
      assertArrayEquals(
          new float[] {y[i], 100 + y[i], 200 + y[i]},
          d.features().getRow(i).toFloatVector(),
          "row " + i);
    }
    return y;
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
    assertNotEquals(
        Arrays.toString(order), Arrays.toString(ten().shuffled(43).labels().toIntVector()));
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
    assertThrows(
        IllegalArgumentException.class, () -> new Dataset(Nd4j.zeros(3, 2), Nd4j.zeros(4)));
  }

  @Test
  void shuffleMatchesAnIndependentPythonReference() {
    // Output of src/test/resources/io/anygraph/data/shuffle_reference.py: Vigna's
    // SplitMix64 (state starts at the seed) driving Fisher-Yates from the end with
    // j = next() mod (i + 1). Pins the order every seeded training run depends on.
    assertArrayEquals(
        new int[] {8, 1, 5, 9, 0, 4, 3, 2, 6, 7}, consistentLabels(numbered(10).shuffled(7)));
    assertArrayEquals(
        new int[] {3, 4, 2, 7, 5, 0, 8, 1, 9, 6}, consistentLabels(numbered(10).shuffled(-1)));
    assertArrayEquals(
        new int[] {0, 9, 5, 8, 6, 4, 7, 2, 1, 3}, consistentLabels(numbered(10).shuffled(42)));
    assertArrayEquals(
        new int[] {9, 0, 3, 5, 12, 8, 2, 11, 10, 7, 4, 6, 1},
        consistentLabels(numbered(13).shuffled(123456789)));
    // SplitMix64's published first output for seed 0 (state advanced by the gamma, then mixed).
    assertEquals(0xE220A8397B1DCDAFL, Dataset.SplitMix64.mix(0x9E3779B97F4A7C15L));
  }

  @Test
  void shuffledBatchesAreTheShuffledDatasetsBatchesGatheredOneAtATime() {
    // seed 123456789 orders 13 examples 9 0 3 5 12 8 2 11 10 7 4 6 1 (the Python reference above)
    int[][] expected = {{9, 0, 3, 5, 12}, {8, 2, 11, 10, 7}, {4, 6, 1}};
    List<int[]> got = new ArrayList<>();
    for (Batch b : numbered(13).shuffledBatches(123456789, 5)) {
      got.add(consistentLabels(new Dataset(b.features(), b.labels())));
      assertEquals(b.labels().length(), b.size());
      // a training step closes its batch once run: the arrays must own their buffers
      assertTrue(b.features().closeable() && b.labels().closeable());
    }
    assertEquals(3, got.size());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], got.get(i), "batch " + i);
    }
    Dataset rank3 = new Dataset(numbered(6).features().reshape(6, 3, 1), numbered(6).labels());
    Batch first = rank3.shuffledBatches(5, 4).iterator().next();
    assertArrayEquals(new long[] {4, 3, 1}, first.features().shape());
    assertEquals(rank3.shuffled(5).features().get(NDArrayIndex.interval(0, 4)), first.features());
    assertTrue(!numbered(3).take(0).shuffledBatches(1, 4).iterator().hasNext());
    assertThrows(IllegalArgumentException.class, () -> numbered(3).shuffledBatches(1, 0));
  }

  @Test
  void shuffleKeepsHigherRankExamplesWhole() {
    Dataset d = new Dataset(numbered(6).features().reshape(6, 3, 1), numbered(6).labels());
    Dataset s = d.shuffled(5);
    assertArrayEquals(new long[] {6, 3, 1}, s.features().shape());
    int[] y = s.labels().toIntVector();
    for (int i = 0; i < y.length; i++) {
      assertEquals(200f + y[i], s.features().getFloat(i, 2, 0), "example " + i);
    }
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, d.labels().toIntVector(), "original untouched");
    assertArrayEquals(new int[] {0}, numbered(1).shuffled(9).labels().toIntVector());
  }

  @Test
  void batchesDivideEvenlyAndRestart() {
    Iterable<Batch> batches = numbered(8).batches(4);
    int count = 0;
    for (Batch b : batches) {
      assertEquals(4, b.size());
      assertArrayEquals(new long[] {4, 3}, b.features().shape());
      count++;
    }
    assertEquals(2, count);
    assertTrue(batches.iterator().hasNext(), "a fresh iterator starts again");
    assertThrows(IllegalArgumentException.class, () -> numbered(8).batches(0));
  }

  @Test
  void takeSkipAndShardEdges() {
    Dataset d = numbered(10);
    assertArrayEquals(new int[] {0, 1, 2}, consistentLabels(d.take(3)));
    assertArrayEquals(new int[] {7, 8, 9}, consistentLabels(d.skip(7)));
    assertEquals(10, d.take(99).size());
    assertThrows(IllegalArgumentException.class, () -> d.take(-1));
    // Shard i covers [n*i/count, n*(i+1)/count): for 10 in 4, [0,2) [2,5) [5,7) [7,10).
    int[] sizes = new int[4];
    for (int i = 0; i < 4; i++) {
      sizes[i] = consistentLabels(d.shard(i, 4)).length;
    }
    assertArrayEquals(new int[] {2, 3, 2, 3}, sizes);
    assertArrayEquals(new int[] {5, 6}, d.shard(2, 4).labels().toIntVector());
    assertEquals(8000 / 3, numbered(8000).shard(0, 3).size());
    assertEquals(8000 / 3 + 1, numbered(8000).shard(2, 3).size());
    assertThrows(IllegalArgumentException.class, () -> d.shard(0, 0));
    assertThrows(IllegalArgumentException.class, () -> d.shard(-1, 4));
    assertThrows(IllegalArgumentException.class, () -> d.range(3, 2));
  }

  @Test
  void emptySlicesKeepTheExampleShape() {
    // A shard of a dataset smaller than the shard count is empty, and so is skipping past the end.
    Dataset none = numbered(2).shard(0, 3);
    assertEquals(0, none.size());
    assertArrayEquals(new long[] {0, 3}, none.features().shape());
    assertEquals(DataType.FLOAT, none.features().dataType());
    assertEquals(DataType.INT, none.labels().dataType());
    assertArrayEquals(new long[] {0, 3}, numbered(10).skip(12).features().shape());
    assertEquals(0, numbered(10).take(0).size());
    assertEquals(0, none.shuffled(3).size());
    assertTrue(!none.batches(4).iterator().hasNext(), "no batches from no examples");
  }

  @Test
  void mismatchedInputsNameTheShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Dataset(Nd4j.create(DataType.FLOAT, 3, 2), Nd4j.createFromArray(1, 2)));
    assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2]"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Dataset(Nd4j.create(DataType.FLOAT, 2, 2), Nd4j.create(DataType.INT32, 3, 2)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Dataset(Nd4j.create(DataType.FLOAT, 1, 2), Nd4j.scalar(DataType.INT32, 1)));
  }

  @Test
  void rowsOfLabelsTravelWithTheirExamples() {
    // example i: features [i, i+1, i+2], labels [i+1, i+2, i+3] (a sequence and its next values)
    int n = 23;
    int[] x = new int[n * 3];
    int[] y = new int[n * 3];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 3; t++) {
        x[3 * i + t] = i + t;
        y[3 * i + t] = i + t + 1;
      }
    }
    Dataset d =
        new Dataset(
            Nd4j.create(x, new long[] {n, 3}, DataType.INT32),
            Nd4j.create(y, new long[] {n, 3}, DataType.INT32));
    int[] order = Dataset.order(n, 8);
    int seen = 0;
    for (Batch b : d.shuffledBatches(8, 5)) {
      assertArrayEquals(new long[] {b.size(), 3}, b.labels().shape());
      for (int r = 0; r < b.size(); r++, seen++) {
        int i = order[seen];
        assertArrayEquals(new int[] {i, i + 1, i + 2}, b.features().getRow(r).toIntVector());
        assertArrayEquals(new int[] {i + 1, i + 2, i + 3}, b.labels().getRow(r).toIntVector());
      }
    }
    assertEquals(n, seen);
    assertArrayEquals(
        new int[] {6, 7, 8}, d.range(4, 9).labels().getRow(1).toIntVector()); // example 5
  }
}
