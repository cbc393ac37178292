/**
 * Datasets: examples in memory ({@link io.anygraph.data.Dataset}, batches, seeded shuffles,
 * shards), IDX files read through Hadoop ({@link io.anygraph.data.IdxReader}) and turned into
 * examples ({@link io.anygraph.data.IdxDecoder}, {@link io.anygraph.data.IdxPair}), and the MNIST
 * folder layout ({@link io.anygraph.data.Mnist}).
 *
 * <p>Must not: run graphs or depend on a runner (runners read datasets, not the reverse).
 */
package io.anygraph.data;
