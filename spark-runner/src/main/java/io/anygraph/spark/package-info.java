/**
 * Spark configuration for Anygraph (Kryo, JVM flags, loopback binding), and the Kryo registrator
 * that registers every shipped class with its serializer (spark.kryo's, and exec's one for
 * StepResult).
 *
 * <p>Must not: run jobs.
 */
package io.anygraph.spark;
