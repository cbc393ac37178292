/**
 * GPUs on Spark executors: which CUDA device a task binds to, from the GPU addresses Spark assigned
 * it ({@code spark.executor.resource.gpu.amount}, {@code spark.task.resource.gpu.amount} and a
 * discovery script; docs/gpu.md), as a pure choice ({@link io.anygraph.spark.gpu.TaskGpu#choose})
 * and the binding of the task's thread.
 *
 * <p>Must not: run Spark jobs, exchange values or decide placement (the plan does); it only binds
 * the thread a task already runs on.
 */
package io.anygraph.spark.gpu;
