/**
 * How a Spark step exchanges the worker stage's boundary values: the strategy ({@link
 * io.anygraph.spark.exchange.Exchange}: {@code tree}, {@code sharded}, {@code ring}, {@code auto}),
 * whether a plan's driver stage can be applied per parameter slice ({@link
 * io.anygraph.spark.exchange.SliceSpec}), the per-slice stage graph, how arrays are cut into slices
 * and joined back ({@link io.anygraph.spark.exchange.Slices}), and where the all-reduce boundaries
 * lie in the ring's one buffer ({@link io.anygraph.spark.exchange.RingLayout}), and how wide the
 * gradients travel ({@link io.anygraph.spark.exchange.Wire}: float32, or bfloat16/float16 rounded
 * by {@link io.anygraph.spark.exchange.HalfFloats} and written 2 bytes per element by {@link
 * io.anygraph.spark.exchange.HalfArrays}).
 *
 * <p>Must not: run Spark jobs or hold state between steps (the runner's {@code exec} package does),
 * or decide what a step means (the plan does).
 */
package io.anygraph.spark.exchange;
