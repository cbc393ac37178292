/**
 * Sharding propagation: per-op sharding rules (a table keyed by op), the rewrites that keep means
 * exact, boundary insertion.
 *
 * <p>Must not: hold op-specific branches outside the rule and rewrite tables.
 */
package io.anygraph.partition.sharding;
