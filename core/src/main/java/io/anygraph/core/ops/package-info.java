/**
 * The op registry: one small definition per op (shape and dtype inference, symbolic gradient),
 * grouped by family in {@code *OpDefs} files ({@code MathOpDefs}, {@code NnOpDefs}, {@code
 * RandomOpDefs}, ...) that register into {@link io.anygraph.core.ops.OpRegistry}; {@link
 * io.anygraph.core.ops.OpNames} for the structural ops other modules recognise.
 *
 * <p>Naming: an {@code *OpDefs} class defines ops (package-private, one per family); the
 * user-facing builders that add ops to a graph are {@code Ops}-style classes in {@code
 * io.anygraph.core} ({@code g.ops()}, {@code g.nn()}, {@code g.random()}); the local runner's
 * {@code *Kernels} compute them.
 *
 * <p>Must not: contain kernels or sharding rules (runners and the partitioner own those), or
 * user-facing builders.
 */
package io.anygraph.core.ops;
