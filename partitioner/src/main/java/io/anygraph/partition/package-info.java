/**
 * The partitioner's driver and result: Partitioner, Plan, Stage, the plan printer and the pass
 * dump.
 *
 * <p>Must not: contain pass logic (the subpackages do) or run anything.
 */
package io.anygraph.partition;
