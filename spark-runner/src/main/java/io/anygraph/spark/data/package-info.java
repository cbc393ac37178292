/**
 * Example shards read by the executors from any Hadoop file system.
 *
 * <p>Must not: train.
 */
package io.anygraph.spark.data;
