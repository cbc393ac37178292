package io.anygraph.spark.exec;

import io.anygraph.data.Dataset;
import io.anygraph.data.IdxPair;
import io.anygraph.spark.data.IdxExamples;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Training examples spread over a Spark cluster: one block of consecutive examples per partition,
 * cached in the executors' memory, so each step reads only the batch's rows where they already are.
 * Partition {@code p} holds examples {@code [offset(p), offset(p + 1))}.
 *
 * <pre>{@code
 * ShardedData train = ShardedData.idx(sc, pair, 4);     // pair: an IdxPair of features and labels
 * runner.bind(train, Map.of("features", images, "labels", labels));
 * }</pre>
 */
public final class ShardedData {
  private final JavaRDD<Dataset> blocks;
  private final long[] offsets;

  private ShardedData(JavaRDD<Dataset> blocks, long[] offsets) {
    this.blocks = blocks;
    this.offsets = offsets;
  }

  /**
   * Examples read by the executors from a pair of IDX files on any Hadoop file system ({@link
   * IdxExamples}), in {@code partitions} blocks.
   */
  public static ShardedData idx(JavaSparkContext sc, IdxPair pair, int partitions)
      throws IOException {
    JavaRDD<Dataset> rdd = IdxExamples.read(sc, pair, partitions);
    int n = IdxExamples.count(pair, sc.hadoopConfiguration());
    long[] offsets = new long[partitions + 1];
    for (int i = 0; i <= partitions; i++) {
      offsets[i] = (long) n * i / partitions; // IdxExamples' split
    }
    return new ShardedData(rdd, offsets);
  }

  /**
   * A dataset of the driver split into blocks of the given sizes (one per partition). The dataset
   * travels once, as a broadcast each executor cuts its blocks from; the partitions themselves
   * carry only their index, so tasks stay small (data given to {@code parallelize} would travel
   * with every task of every step).
   */
  public static ShardedData of(JavaSparkContext sc, Dataset all, int... sizes) {
    long[] offsets = new long[sizes.length + 1];
    List<Integer> parts = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      offsets[i + 1] = offsets[i] + sizes[i];
      parts.add(i);
    }
    if (offsets[sizes.length] != all.size()) {
      throw new IllegalArgumentException(
          "block sizes add up to "
              + offsets[sizes.length]
              + ", not the dataset's "
              + all.size()
              + " examples");
    }
    Broadcast<Dataset> shipped = sc.broadcast(all);
    JavaRDD<Dataset> rdd =
        sc.parallelize(parts, sizes.length)
            .map(i -> shipped.value().range((int) offsets[i], (int) offsets[i + 1]));
    rdd.setName("examples (" + all.size() + ", " + sizes.length + " blocks)");
    return new ShardedData(rdd.persist(StorageLevel.MEMORY_ONLY()), offsets);
  }

  /**
   * A dataset of the driver split into {@code partitions} blocks whose sizes differ by at most one.
   */
  public static ShardedData of(JavaSparkContext sc, Dataset all, int partitions) {
    int[] sizes = new int[partitions];
    for (int i = 0; i < partitions; i++) {
      sizes[i] = all.shard(i, partitions).size();
    }
    return of(sc, all, sizes);
  }

  public JavaRDD<Dataset> blocks() {
    return blocks;
  }

  public int partitions() {
    return offsets.length - 1;
  }

  public long size() {
    return offsets[offsets.length - 1];
  }

  /** The index of partition {@code p}'s first example. */
  public long offset(int p) {
    return offsets[p];
  }
}
