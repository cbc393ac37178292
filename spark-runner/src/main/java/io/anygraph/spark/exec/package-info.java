/**
 * The Spark runner: a plan's worker stage as one job per step over cached blocks, aggregation,
 * broadcast variable snapshots, step timing; StepResult's Kryo serializer (it reads StepResult's
 * package-private state).
 *
 * <p>Must not: decide what a step means (the plan does), or import {@code spark.kryo} (which
 * imports this package to serialize its types).
 */
package io.anygraph.spark.exec;
