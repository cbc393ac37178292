/**
 * Datasets: IDX files through Hadoop, MNIST, batches and shards.
 *
 * <p>Must not: run graphs.
 */
package io.anygraph.data;
