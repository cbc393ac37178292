/**
 * The ring all-reduce of the {@code ring} exchange: {@link io.anygraph.spark.ring.RingAllReduce}
 * sums one float buffer across the tasks of a barrier stage over plain TCP sockets (reduce-scatter,
 * then all-gather, each chunk summed in a fixed order), and {@link
 * io.anygraph.spark.ring.BarrierSupport} says before any job whether Spark can run the barrier
 * stage at all.
 *
 * <p>Must not: know about graphs, plans or steps (the runner's {@code exec} package runs the stage
 * and hands this package a buffer), or keep sockets open between steps.
 */
package io.anygraph.spark.ring;
