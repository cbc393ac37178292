/**
 * What a run carries besides values: the variable store, the seeded random generators per node, and
 * the rendezvous through which a plan's devices exchange sends and receives. Kernels read it
 * through their context; the executor creates it.
 *
 * <p>Must not: depend on kernels or the executor.
 */
package io.anygraph.local.state;
