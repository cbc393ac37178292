package io.anygraph.spark.data;

import io.anygraph.core.AnygraphException;
import io.anygraph.data.Dataset;
import io.anygraph.data.IdxReader;
import io.anygraph.data.Mnist;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;

/**
 * MNIST digits from IDX files on any Hadoop file system ({@code file://}, {@code hdfs://}) as an
 * RDD with one block of examples ({@link Dataset}) per partition, read by the executors
 * themselves, each reading only its shard of the files, and cached in their memory so later
 * steps do not read again.
 *
 * <pre>{@code
 * JavaRDD<Dataset> train = IdxExamples.mnist(sc, "hdfs://namenode:8020/mnist", "train", 4);
 * long n = train.map(Dataset::size).reduce(Integer::sum);
 * }</pre>
 *
 * <p>Partition {@code i} of {@code p} holds examples {@code [n*i/p, n*(i+1)/p)}, the same
 * split as {@link Dataset#shard}, so sizes differ by at most one.
 */
public final class IdxExamples {
  private IdxExamples() {}

  /** Digits {@code <prefix>-images-idx3-ubyte[.gz]} and their labels from folder {@code dir}. */
  public static JavaRDD<Dataset> mnist(JavaSparkContext sc, String dir, String prefix, int partitions)
      throws IOException {
    Configuration conf = sc.hadoopConfiguration();
    String images = Mnist.file(dir, prefix, "images");
    String labels = Mnist.file(dir, prefix, "labels");
    // The driver checks both headers (and plain files' lengths) so a bad file fails here, in one
    // line, rather than in every executor's task.
    int n = IdxReader.dims(images, conf)[0];
    int labelCount = IdxReader.dims(labels, conf)[0];
    if (labelCount != n) {
      throw new AnygraphException(images + " has " + n + " examples, " + labels + " has "
          + labelCount + " labels");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions " + partitions);
    }
    SerializableConfiguration hadoop = new SerializableConfiguration(conf); // travels in the closure
    List<Integer> shards = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      shards.add(i);
    }
    JavaRDD<Dataset> rdd = sc.parallelize(shards, partitions).map(i -> {
      int from = (int) ((long) n * i / partitions);
      int to = (int) ((long) n * (i + 1) / partitions);
      Configuration c = hadoop.value();
      return Mnist.examples(IdxReader.read(images, c, from, to), IdxReader.read(labels, c, from, to),
          images, from);
    });
    rdd.setName("MNIST " + prefix + " from " + dir + " (" + n + " digits, " + partitions + " shards)");
    return rdd.persist(StorageLevel.MEMORY_ONLY());
  }
}
