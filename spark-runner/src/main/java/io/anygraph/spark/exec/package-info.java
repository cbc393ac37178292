/**
 * The Spark runner: the worker tasks of a plan's step sequence (the local runner's {@code
 * PlanExecutor}) as one job per step over cached blocks, combined by {@code treeAggregate};
 * broadcast variables, step timing.
 *
 * <p>Must not: decide what a step means (the plan does), or repeat the step sequence or a
 * boundary's combine rule (the local runner's plan package holds them once).
 */
package io.anygraph.spark.exec;
