/**
 * The Spark runner: the worker tasks of a plan's step sequence (the local runner's {@code
 * PlanExecutor}) as one job per step over cached blocks, combined in a fixed order ({@code
 * OrderedTree}) or, under the sharded exchange, reduce-scattered by a shuffle and applied per
 * parameter slice on the executors (slice state cached between steps); broadcast variable
 * snapshots, step timing; StepResult's Kryo serializer (it reads StepResult's package-private
 * state).
 *
 * <p>Must not: decide what a step means (the plan does), repeat the step sequence or a boundary's
 * combine rule (the local runner's plan package holds them once), or import {@code spark.kryo}
 * (which imports this package to serialize its types).
 */
package io.anygraph.spark.exec;
