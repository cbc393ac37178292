/**
 * The op registry: one small definition per op (shape and dtype inference, symbolic gradient),
 * grouped by family; OpNames for structural ops.
 *
 * <p>Must not: contain kernels or sharding rules (runners and the partitioner own those).
 */
package io.anygraph.core.ops;
