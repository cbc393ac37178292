/**
 * Spark configuration for Anygraph (Kryo, JVM flags, loopback binding).
 *
 * <p>Must not: run jobs.
 */
package io.anygraph.spark;
