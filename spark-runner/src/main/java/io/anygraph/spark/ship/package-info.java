/**
 * What travels to executors: shipped graphs, models, and the per-executor cache.
 *
 * <p>Must not: run stages.
 */
package io.anygraph.spark.ship;
