package io.anygraph.data;

/**
 * Two IDX files that hold the same examples, the features and their labels, and how their records
 * become examples. A runner reads each shard of the pair where it is needed.
 *
 * <pre>{@code
 * IdxPair digits = Mnist.pair("hdfs://namenode:8020/mnist", "train");
 * IdxPair other = new IdxPair("file:///data/x-idx3-ubyte.gz", "file:///data/y-idx1-ubyte.gz",
 *     IdxDecoder.scaledBytes());
 * }</pre>
 *
 * @param features the URI of the features file (any Hadoop file system, gzip'd or not)
 * @param labels the URI of the labels file
 * @param decoder how records of both become a {@link Dataset}
 */
public record IdxPair(String features, String labels, IdxDecoder decoder) {}
