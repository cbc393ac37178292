/**
 * Running a partitioner Plan on logical devices: shard feeds, run stages on threads, aggregate at
 * boundaries.
 *
 * <p>Must not: plan (the partitioner does).
 */
package io.anygraph.local.plan;
