/**
 * What every partitioner pass shares: the cluster a plan is made for, copying nodes from one graph
 * into another, and the planning error.
 *
 * <p>Must not: depend on the passes or on the plan.
 */
package io.anygraph.partition.common;
