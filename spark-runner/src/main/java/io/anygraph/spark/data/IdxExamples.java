package io.anygraph.spark.data;

import io.anygraph.core.AnygraphException;
import io.anygraph.data.Dataset;
import io.anygraph.data.IdxDecoder;
import io.anygraph.data.IdxPair;
import io.anygraph.data.IdxReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Examples from a pair of IDX files (features and labels) on any Hadoop file system ({@code
 * file://}, {@code hdfs://}) as an RDD with one block of examples ({@link Dataset}) per partition,
 * read by the executors themselves, each reading only its shard of the files, and cached in their
 * memory so later steps do not read again.
 *
 * <pre>{@code
 * IdxPair pair = new IdxPair("hdfs://namenode:8020/data/x-idx3-ubyte",
 *     "hdfs://namenode:8020/data/y-idx1-ubyte", IdxDecoder.scaledBytes());
 * JavaRDD<Dataset> train = IdxExamples.read(sc, pair, 4);
 * long n = train.map(Dataset::size).reduce(Integer::sum);
 * }</pre>
 *
 * <p>Partition {@code i} of {@code p} holds examples {@code [n*i/p, n*(i+1)/p)}, the same split as
 * {@link Dataset#shard}, so sizes differ by at most one.
 */
public final class IdxExamples {
  private IdxExamples() {}

  /** The examples of {@code pair} in {@code partitions} cached blocks, decoded by its decoder. */
  public static JavaRDD<Dataset> read(JavaSparkContext sc, IdxPair pair, int partitions)
      throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    String features = pair.features();
    String labels = pair.labels();
    IdxDecoder decoder = pair.decoder(); // the closure carries these, not the pair
    // The driver checks both headers (and plain files' lengths) so a bad file fails here, in one
    // line, rather than in every executor's task.
    int n = count(pair, conf);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions " + partitions);
    }
    SerializableConfiguration hadoop =
        new SerializableConfiguration(conf); // travels in the closure
    List<Integer> shards = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      shards.add(i);
    }
    JavaRDD<Dataset> rdd =
        sc.parallelize(shards, partitions)
            .map(
                i -> {
                  int from = (int) ((long) n * i / partitions);
                  int to = (int) ((long) n * (i + 1) / partitions);
                  Configuration c = hadoop.value();
                  return decoder.decode(
                      IdxReader.read(features, c, from, to),
                      IdxReader.read(labels, c, from, to),
                      features,
                      from);
                });
    rdd.setName("examples of " + features + " (" + n + " records, " + partitions + " shards)");
    return rdd.persist(StorageLevel.MEMORY_ONLY());
  }

  /** The number of examples in {@code pair}, from both headers, which must agree. */
  public static int count(IdxPair pair, Configuration conf) throws IOException {
    int n = IdxReader.dims(pair.features(), conf)[0];
    int labelCount = IdxReader.dims(pair.labels(), conf)[0];
    if (labelCount != n) {
      throw new AnygraphException(
          pair.features()
              + " has "
              + n
              + " examples, "
              + pair.labels()
              + " has "
              + labelCount
              + " labels");
    }
    return n;
  }
}
