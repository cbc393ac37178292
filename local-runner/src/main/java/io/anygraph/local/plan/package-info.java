/**
 * Running a partitioner Plan: the one step sequence every runner follows ({@link
 * io.anygraph.local.plan.PlanExecutor}), the combine rule of each boundary kind ({@link
 * io.anygraph.local.plan.Combine}), and this JVM's worker tasks: shards on logical device threads.
 *
 * <p>Must not: plan (the partitioner does); know how another runner runs its tasks.
 */
package io.anygraph.local.plan;
