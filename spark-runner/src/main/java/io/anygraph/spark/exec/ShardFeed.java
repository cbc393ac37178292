package io.anygraph.spark.exec;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One shard of feeds given on the driver, for runs whose sharded inputs are arrays rather than
 * bound training blocks: the shard's slices by placeholder, and the batch positions of its rows.
 */
public record ShardFeed(int index, int[] positions, Map<String, INDArray> feeds) {}
