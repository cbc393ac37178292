/**
 * The Spark runner: a plan's worker stage as one job per step over cached blocks, aggregation,
 * broadcast variables, step timing.
 *
 * <p>Must not: decide what a step means (the plan does).
 */
package io.anygraph.spark.exec;
