/**
 * The Spark ML Transformer over a graph.
 *
 * <p>Must not: reimplement scoring (frame does it).
 */
package io.anygraph.spark.ml;
