/**
 * The executor: the compiler to an instruction list, programs with buffer lifetimes and a buffer
 * pool, run state, variable store, rendezvous, per-op profiles.
 *
 * <p>Must not: contain op-specific code (kernels do).
 */
package io.anygraph.local.exec;
