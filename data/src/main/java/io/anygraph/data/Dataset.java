package io.anygraph.data;

import io.anygraph.core.AnygraphException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Examples in memory: features [n, ...] and labels [n, ...] (one label per example, or a row of
 * them: a sequence's next-character targets), with batching, seeded shuffling and contiguous
 * shards. Immutable: every operation returns a new dataset (sharing the arrays where it can).
 */
public final class Dataset {
  /** The names of the two arrays, for {@link #column}: what a runner binds placeholders to. */
  public static final List<String> COLUMNS = List.of("features", "labels");

  private final INDArray features;
  private final INDArray labels;

  public Dataset(INDArray features, INDArray labels) {
    if (features.rank() < 1 || labels.rank() < 1 || features.size(0) != labels.size(0)) {
      throw new IllegalArgumentException(
          "features "
              + Arrays.toString(features.shape())
              + " and labels "
              + Arrays.toString(labels.shape())
              + " must have the same number of examples along axis 0");
    }
    this.features = features;
    this.labels = labels;
  }

  public int size() {
    return (int) labels.size(0);
  }

  public INDArray features() {
    return features;
  }

  public INDArray labels() {
    return labels;
  }

  /** The array named {@code name}, one of {@link #COLUMNS}. */
  public INDArray column(String name) {
    return switch (name) {
      case "features" -> features;
      case "labels" -> labels;
      default ->
          throw new AnygraphException(
              "No column '" + name + "' in a dataset: its columns are " + COLUMNS);
    };
  }

  /** Examples [from, to). */
  public Dataset range(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + to + ") of a dataset of " + size());
    }
    return new Dataset(rows(features, from, to), rows(labels, from, to));
  }

  public Dataset take(int n) {
    return range(0, Math.min(n, size()));
  }

  public Dataset skip(int n) {
    return range(Math.min(n, size()), size());
  }

  /** Shard {@code index} of {@code count} contiguous shards whose sizes differ by at most one. */
  public Dataset shard(int index, int count) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + " of " + count);
    }
    long n = size();
    return range((int) (n * index / count), (int) (n * (index + 1) / count));
  }

  /** The examples in an order fixed by the seed ({@link #order}). */
  public Dataset shuffled(long seed) {
    int n = size();
    if (n == 0) {
      return this; // ND4J's pullRows rejects an empty index list
    }
    return gather(order(n, seed));
  }

  /**
   * The batches of {@code shuffled(seed).batches(batchSize)}, each gathered when it is asked for:
   * an epoch allocates one batch at a time instead of a shuffled copy of the whole dataset (25 MB
   * for the shipped digits), native memory that only the garbage collector would free.
   */
  public Iterable<Batch> shuffledBatches(long seed, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size " + batchSize);
    }
    return () ->
        new Iterator<>() {
          private final int[] order = order(size(), seed);
          private int next = 0;

          @Override
          public boolean hasNext() {
            return next < order.length;
          }

          @Override
          public Batch next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int end = Math.min(next + batchSize, order.length);
            Dataset b = gather(Arrays.copyOfRange(order, next, end));
            next = end;
            return new Batch(b.features, b.labels, b.size());
          }
        };
  }

  /**
   * The examples at these indices, in this order, as a new contiguous dataset whose arrays own
   * their buffers (closeable: ND4J will not close a reshaped array, even of the same shape).
   */
  private Dataset gather(int[] indices) {
    return new Dataset(pullRows(features, indices), pullRows(labels, indices));
  }

  /** Rows {@code indices} of {@code a} ([n, ...]), as a new array [indices.length, ...]. */
  private static INDArray pullRows(INDArray a, int[] indices) {
    int n = indices.length;
    if (a.rank() == 1) { // one label per example: copied one by one into an array of its own
      INDArray y = Nd4j.create(a.dataType(), n);
      for (int i = 0; i < n; i++) {
        y.putScalar(i, a.getDouble(indices[i])); // int32 and float32 values are exact as doubles
      }
      return y;
    }
    long rows = a.size(0);
    INDArray pulled = Nd4j.pullRows(a.reshape(rows, a.length() / Math.max(1, rows)), 1, indices);
    if (a.rank() == 2) {
      return pulled;
    }
    long[] shape = a.shape().clone();
    shape[0] = n;
    return pulled.reshape(shape);
  }

  /**
   * A permutation of [0, n) fixed by the seed: Fisher–Yates driven by SplitMix64, the same on every
   * JVM, so executors holding parts of a dataset agree on which examples form each batch.
   */
  public static int[] order(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long state = seed;
    for (int i = n - 1; i > 0; i--) {
      state += 0x9E3779B97F4A7C15L;
      int j = (int) Long.remainderUnsigned(SplitMix64.mix(state), i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Batches in order; the final batch holds the remainder when size is not a multiple. */
  public Iterable<Batch> batches(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size " + batchSize);
    }
    return () ->
        new Iterator<>() {
          private int next = 0;

          @Override
          public boolean hasNext() {
            return next < size();
          }

          @Override
          public Batch next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int end = Math.min(next + batchSize, size());
            Batch b = new Batch(rows(features, next, end), rows(labels, next, end), end - next);
            next = end;
            return b;
          }
        };
  }

  /** Rows [from, to) as a contiguous copy, so batches can be fed without strides. */
  private static INDArray rows(INDArray a, int from, int to) {
    if (from == to) {
      // ND4J's empty interval loses the shape ([] for a [n, 3] array); keep [0, 3].
      long[] shape = a.shape().clone();
      shape[0] = 0;
      return Nd4j.create(a.dataType(), shape);
    }
    return a.get(NDArrayIndex.interval(from, to)).dup('c');
  }

  /** Sebastiano Vigna's SplitMix64 finalizer: the same sequence on every JVM. */
  static final class SplitMix64 {
    private SplitMix64() {}

    static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
