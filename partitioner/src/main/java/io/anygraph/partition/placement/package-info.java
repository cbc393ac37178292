/**
 * Placement: explicit scopes, colocation, soft placement, and the cost model with its per-op Flops
 * rule.
 *
 * <p>Must not: change the graph.
 */
package io.anygraph.partition.placement;
