/**
 * TensorFlow as a peer in {@code bin/anygraph bench}: the same workloads built as TensorFlow graphs
 * from Anygraph's initial parameters, array copies between ND4J and TensorFlow, found by the
 * examples module through ServiceLoader.
 *
 * <p>Must not: be depended on by any module (it carries TensorFlow's native jar), or time anything
 * in tests.
 */
package io.anygraph.bench;
