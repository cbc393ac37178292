/**
 * Benchmarks: throughput against raw ND4J and SameDiff, dispatch, GEMM, Spark step time, per-op
 * profiles.
 *
 * <p>Must not: be used by tests as timing assertions.
 */
package io.anygraph.examples.bench;
