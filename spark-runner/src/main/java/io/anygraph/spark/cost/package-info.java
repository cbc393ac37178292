/**
 * The exchange cost model: {@link io.anygraph.spark.cost.ExchangeCostModel} predicts a step's
 * exchange time under {@code tree}, {@code sharded} and {@code ring} from its boundary bytes, its
 * tasks and the cluster's {@link io.anygraph.spark.cost.LinkConstants} (job latency, hop latency,
 * bandwidths), which {@link io.anygraph.spark.cost.Calibration} measures with small Spark jobs.
 *
 * <p>Must not: decide what a step runs with (the runner's {@code exec} package asks the model and
 * checks what the plan allows), or run jobs outside calibration.
 */
package io.anygraph.spark.cost;
