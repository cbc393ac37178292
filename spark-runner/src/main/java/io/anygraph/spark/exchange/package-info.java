/**
 * How a Spark step exchanges the worker stage's boundary values: the strategy ({@link
 * io.anygraph.spark.exchange.Exchange}: {@code tree} or {@code sharded}), whether a plan's driver
 * stage can be applied per parameter slice ({@link io.anygraph.spark.exchange.SliceSpec}), the
 * per-slice stage graph, and how arrays are cut into slices and joined back ({@link
 * io.anygraph.spark.exchange.Slices}).
 *
 * <p>Must not: run Spark jobs or hold state between steps (the runner's {@code exec} package does),
 * or decide what a step means (the plan does).
 */
package io.anygraph.spark.exchange;
